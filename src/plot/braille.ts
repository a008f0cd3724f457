/**
 * The terminal chart: curves drawn in braille dots with a y axis and its tick labels on the left,
 * an x axis with tick marks and labels below, and a legend (dot pattern and label per curve).
 * Colour (ANSI) only when the plan says so; zero lines are drawn only then, in grey, so that
 * without colour no dotted line can be mistaken for a curve.
 */
import { AXIS, DotCanvas } from './dots.js';
import type { Samples } from './sample.js';
import { extentOf, paddedRange, niceStep, scaler, tickLabel, ticksIn, type Range } from './scale.js';
import { AXIS_ANSI, curveStyle } from './style.js';

export interface ChartPlan {
  readonly samples: Samples;
  /** The sampled x range (the frame's left and right). */
  readonly x: Range;
  /** The y range; by default the values' extent with a little room. */
  readonly y?: Range;
  /** Size of the whole chart in characters, labels and legend included. */
  readonly columns: number;
  readonly rows: number;
  readonly colour: boolean;
}

const paintWith =
  (colour: boolean) =>
  (text: string, ink: number): string =>
    colour ? `\x1b[${ink === AXIS ? AXIS_ANSI : curveStyle(ink).ansi}m${text}\x1b[0m` : text;

/** A short horizontal stroke in curve i's dot pattern, for the legend. */
function legendSwatch(i: number): DotCanvas {
  const c = new DotCanvas(3, 1);
  c.line({ x0: 0, y0: 1, x1: 5, y1: 1 }, { ink: i, pattern: curveStyle(i).dots, step: 0 });
  return c;
}

/** Legend entries packed into lines no wider than `width`. */
function legendLines(plan: ChartPlan, indent: number): string[] {
  const paint = paintWith(plan.colour);
  const lines: string[] = [];
  let line = ' '.repeat(indent);
  let used = indent;
  plan.samples.curves.forEach((c, i) => {
    const entry = `${legendSwatch(i).rows(paint)[0]} ${c.label}`;
    const len = 4 + c.label.length;
    if (used > indent && used + 2 + len > plan.columns) {
      lines.push(line);
      line = ' '.repeat(indent);
      used = indent;
    }
    line += (used > indent ? '  ' : '') + entry;
    used += (used > indent ? 2 : 0) + len;
  });
  lines.push(line);
  return lines;
}

/** x tick labels centred under their marks, left to right, each dropped if it would touch the one before. */
function xLabelLine(ticks: readonly number[], column: (v: number) => number, width: number): string {
  let line = '';
  for (const v of ticks) {
    const label = tickLabel(v);
    const start = Math.max(0, Math.round(column(v) - (label.length - 1) / 2));
    if (start < (line === '' ? 0 : line.length + 1) || start + label.length > width) continue;
    line = line.padEnd(start) + label;
  }
  return line;
}

/**
 * Dot positions along one unbroken run, with the corners of staircases cut: where the points
 * before and after a dot already touch (diagonally or side by side), the dot between only
 * thickens the line (x and y rounding switch at different samples), so it is dropped.
 */
export function thinRun(points: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, y] of points) {
    const last = out[out.length - 1];
    if (last && last[0] === x && last[1] === y) continue;
    while (out.length >= 2) {
      const before = out[out.length - 2];
      if (Math.max(Math.abs(before[0] - x), Math.abs(before[1] - y)) > 1) break;
      out.pop();
    }
    out.push([x, y]);
  }
  return out;
}

function drawRun(canvas: DotCanvas, run: readonly (readonly [number, number])[], ink: number): void {
  const pen = { ink, pattern: curveStyle(ink).dots, step: 0 };
  const points = thinRun(run);
  points.forEach(([x, y], k) => {
    const [x0, y0] = points[k === 0 ? 0 : k - 1];
    canvas.line({ x0, y0, x1: x, y1: y }, pen);
  });
}

function drawCurves(canvas: DotCanvas, samples: Samples, toDot: { x: (v: number) => number; y: (v: number) => number }): void {
  const { x } = samples;
  // Far-off values are pulled to just outside the canvas: the line still leaves at the edge.
  const yDot = (v: number): number => Math.round(Math.min(canvas.dotsHigh + 1, Math.max(-2, toDot.y(v))));
  samples.curves.forEach((c, i) => {
    let run: [number, number][] = [];
    for (let k = 0; k <= x.length; k++) {
      if (k < x.length && Number.isFinite(c.y[k])) run.push([Math.round(toDot.x(x[k])), yDot(c.y[k])]);
      else if (run.length) {
        drawRun(canvas, run, i);
        run = [];
      }
    }
  });
}

export function brailleChart(plan: ChartPlan): string {
  const legend = legendLines(plan, 0);
  const cellsHigh = Math.max(3, plan.rows - 2 - legend.length);
  const yTarget = Math.max(2, Math.round(cellsHigh / 3));
  const y = plan.y ?? paddedRange(extentOf(plan.samples.curves));
  const yTicks = ticksIn(y, niceStep(y.hi - y.lo, yTarget));
  const yLabels = yTicks.map(tickLabel);
  const labelWidth = Math.max(...yLabels.map((s) => s.length));
  const xLabelRoom = Math.max(tickLabel(plan.x.lo).length, tickLabel(plan.x.hi).length);
  const cellsWide = Math.max(10, plan.columns - labelWidth - 1 - Math.ceil(xLabelRoom / 2));
  const xTicks = ticksIn(plan.x, niceStep(plan.x.hi - plan.x.lo, Math.max(2, Math.round(cellsWide / 10))));

  const canvas = new DotCanvas(cellsWide, cellsHigh);
  const toDot = { x: scaler(plan.x, 0, canvas.dotsWide - 1), y: scaler(y, canvas.dotsHigh - 1, 0) };
  if (plan.colour) {
    if (y.lo < 0 && y.hi > 0) canvas.line({ x0: 0, y0: toDot.y(0), x1: canvas.dotsWide - 1, y1: toDot.y(0) }, { ink: AXIS, pattern: '10', step: 0 });
    if (plan.x.lo < 0 && plan.x.hi > 0) canvas.line({ x0: toDot.x(0), y0: 0, x1: toDot.x(0), y1: canvas.dotsHigh - 1 }, { ink: AXIS, pattern: '10', step: 0 });
  }
  drawCurves(canvas, plan.samples, toDot);

  const tickRow = new Map<number, string>();
  yTicks.forEach((v, i) => tickRow.set(Math.round(toDot.y(v)) >> 2, yLabels[i]));
  const body = canvas.rows(paintWith(plan.colour)).map((row, r) => {
    const label = tickRow.get(r);
    return (label === undefined ? ' '.repeat(labelWidth) + '│' : label.padStart(labelWidth) + '┤') + row;
  });
  const cellOf = (v: number): number => Math.round(toDot.x(v)) >> 1;
  const marks = new Set(xTicks.map(cellOf));
  let axis = ' '.repeat(labelWidth) + '└';
  for (let c = 0; c < cellsWide; c++) axis += marks.has(c) ? '┬' : '─';
  const labels = xLabelLine(xTicks, (v) => labelWidth + 1 + cellOf(v), plan.columns);
  return [...body.map((l) => l.trimEnd()), axis, labels, ...legend.map((l) => l.trimEnd())].join('\n') + '\n';
}

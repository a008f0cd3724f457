/**
 * The standalone SVG chart: white background, grid at the ticks, zero lines, a frame with tick
 * marks and labels, one polyline per unbroken run of finite values in each curve's colour and dash
 * style (clipped to the frame), and a legend in a free corner (or below). The <svg> element carries the data ranges and the
 * frame rect has class "frame", so a reader (or a test) can map points back to values.
 */
import type { Samples } from './sample.js';
import { extentOf, paddedRange, niceStep, scaler, tickLabel, ticksIn, type Range } from './scale.js';
import { curveStyle } from './style.js';

export interface SvgPlan {
  readonly samples: Samples;
  readonly x: Range;
  /** The y range; by default the values' extent with a little room. */
  readonly y?: Range;
  readonly title?: string;
  /** The y axis's name (default y; dy/dx for derivatives). */
  readonly yTitle?: string;
  /** Size in pixels (default 720 x 450). */
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 64, right: 24, top: 28, bottom: 48 };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const px = (v: number): string => {
  const s = v.toFixed(2).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
};

interface Frame {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Runs of finite points as polyline point lists; far-off values are pulled to a frame height beyond the frame. */
function polylines(xs: Float64Array, ys: Float64Array, toPx: { x: (v: number) => number; y: (v: number) => number }, f: Frame): string[] {
  const room = f.bottom - f.top;
  const runs: string[] = [];
  let run: string[] = [];
  for (let k = 0; k <= xs.length; k++) {
    if (k === xs.length || !Number.isFinite(ys[k])) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      continue;
    }
    const y = Math.min(f.bottom + room, Math.max(f.top - room, toPx.y(ys[k])));
    run.push(`${px(toPx.x(xs[k]))},${px(y)}`);
  }
  return runs;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

type ToPx = { x: (v: number) => number; y: (v: number) => number };

/** The frame's corners (top left, top right, bottom right, bottom left) as places for a box of `size`. */
function cornerBoxes(f: Frame, size: { width: number; height: number }): Box[] {
  const inset = 10;
  return [
    { x: f.left + inset, y: f.top + inset, ...size },
    { x: f.right - inset - size.width, y: f.top + inset, ...size },
    { x: f.right - inset - size.width, y: f.bottom - inset - size.height, ...size },
    { x: f.left + inset, y: f.bottom - inset - size.height, ...size },
  ];
}

/** Whether the polyline through the finite points (x, y) passes within 4 px of the box; each segment is walked in steps of 2 px. */
function crosses(line: { readonly x: Float64Array; readonly y: Float64Array }, toPx: ToPx, b: Box): boolean {
  const { x: xs, y: ys } = line;
  const inside = (px: number, py: number): boolean => px >= b.x - 4 && px <= b.x + b.width + 4 && py >= b.y - 4 && py <= b.y + b.height + 4;
  let prev: [number, number] | undefined;
  for (let k = 0; k < xs.length; k++) {
    if (!Number.isFinite(ys[k])) {
      prev = undefined;
      continue;
    }
    const p: [number, number] = [toPx.x(xs[k]), Math.max(-1e6, Math.min(1e6, toPx.y(ys[k])))];
    const [x0, y0] = prev ?? p;
    const steps = Math.min(1000, Math.ceil(Math.hypot(p[0] - x0, p[1] - y0) / 2));
    for (let j = 0; j <= steps; j++) {
      const t = steps === 0 ? 1 : j / steps;
      if (inside(x0 + (p[0] - x0) * t, y0 + (p[1] - y0) * t)) return true;
    }
    prev = p;
  }
  return false;
}

interface Legend {
  readonly lines: string[];
  /** Height added below the chart when no corner of the frame is free. */
  readonly below: number;
}

/**
 * One row per curve (a stroke in its style, its label) on a white box: in a corner of the frame
 * that no curve crosses, else under the chart (which then grows by the box's height).
 */
function legend(plan: SvgPlan, f: Frame, toPx: ToPx): Legend {
  const rowH = 18;
  const curves = plan.samples.curves;
  const size = { width: 48 + 7 * Math.max(...curves.map((c) => c.label.length)), height: 8 + rowH * curves.length };
  const lines = plan.samples.curves.map((c) => ({ x: plan.samples.x, y: c.y }));
  const corner = cornerBoxes(f, size).find((b) => !lines.some((l) => crosses(l, toPx, b)));
  const box = corner ?? { x: f.left, y: f.bottom + MARGIN.bottom, ...size };
  const out = ['<g class="legend">'];
  out.push(`<rect x="${px(box.x)}" y="${px(box.y)}" width="${size.width}" height="${size.height}" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>`);
  curves.forEach((c, i) => {
    const s = curveStyle(i);
    const cy = px(box.y + 4 + rowH * i + rowH / 2);
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(`<line x1="${px(box.x + 8)}" y1="${cy}" x2="${px(box.x + 36)}" y2="${cy}" stroke="${s.hex}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${px(box.x + 42)}" y="${px(box.y + 8 + rowH * i + rowH / 2)}" fill="#222222">${escapeXml(c.label)}</text>`);
  });
  out.push('</g>');
  return { lines: out, below: corner ? 0 : size.height + 8 };
}

export function svgChart(plan: SvgPlan): string {
  const width = plan.width ?? 720;
  const height = plan.height ?? 450;
  const f: Frame = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const y = plan.y ?? paddedRange(extentOf(plan.samples.curves));
  const xTicks = ticksIn(plan.x, niceStep(plan.x.hi - plan.x.lo, 10));
  const yTicks = ticksIn(y, niceStep(y.hi - y.lo, 6));
  const toPx = { x: scaler(plan.x, f.left, f.right), y: scaler(y, f.bottom, f.top) };
  const key = legend(plan, f, toPx);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + key.below}" viewBox="0 0 ${width} ${height + key.below}" ` +
      `font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" ` +
      `data-x-range="${plan.x.lo} ${plan.x.hi}" data-y-range="${y.lo} ${y.hi}">`,
  );
  const labels = plan.samples.curves.map((c) => c.label).join(', ');
  out.push(`<title>${escapeXml(plan.title ?? labels)}</title>`);
  out.push(`<rect width="${width}" height="${height + key.below}" fill="#ffffff"/>`);
  out.push(`<defs><clipPath id="frame"><rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}"/></clipPath></defs>`);

  out.push('<g class="grid" stroke="#e4e4e4" stroke-width="1">');
  for (const v of xTicks) out.push(`<line x1="${px(toPx.x(v))}" y1="${f.top}" x2="${px(toPx.x(v))}" y2="${f.bottom}"/>`);
  for (const v of yTicks) out.push(`<line x1="${f.left}" y1="${px(toPx.y(v))}" x2="${f.right}" y2="${px(toPx.y(v))}"/>`);
  out.push('</g>');
  out.push('<g class="zero" stroke="#9a9a9a" stroke-width="1">');
  if (y.lo < 0 && y.hi > 0) out.push(`<line x1="${f.left}" y1="${px(toPx.y(0))}" x2="${f.right}" y2="${px(toPx.y(0))}"/>`);
  if (plan.x.lo < 0 && plan.x.hi > 0) out.push(`<line x1="${px(toPx.x(0))}" y1="${f.top}" x2="${px(toPx.x(0))}" y2="${f.bottom}"/>`);
  out.push('</g>');

  out.push('<g class="ticks" stroke="#333333" stroke-width="1">');
  for (const v of xTicks) out.push(`<line x1="${px(toPx.x(v))}" y1="${f.bottom}" x2="${px(toPx.x(v))}" y2="${f.bottom + 5}"/>`);
  for (const v of yTicks) out.push(`<line x1="${f.left - 5}" y1="${px(toPx.y(v))}" x2="${f.left}" y2="${px(toPx.y(v))}"/>`);
  out.push('</g>');
  out.push('<g class="tick-labels" fill="#333333">');
  for (const v of xTicks) out.push(`<text x="${px(toPx.x(v))}" y="${f.bottom + 19}" text-anchor="middle">${escapeXml(tickLabel(v))}</text>`);
  for (const v of yTicks) out.push(`<text x="${f.left - 8}" y="${px(toPx.y(v) + 4)}" text-anchor="end">${escapeXml(tickLabel(v))}</text>`);
  out.push(`<text x="${px((f.left + f.right) / 2)}" y="${height - 10}" text-anchor="middle">x</text>`);
  const yMid = px((f.top + f.bottom) / 2);
  out.push(`<text x="16" y="${yMid}" text-anchor="middle" transform="rotate(-90 16 ${yMid})">${escapeXml(plan.yTitle ?? 'y')}</text>`);
  out.push('</g>');

  out.push('<g class="curves" clip-path="url(#frame)" fill="none" stroke-width="2" stroke-linejoin="round" stroke-linecap="round">');
  plan.samples.curves.forEach((c, i) => {
    const s = curveStyle(i);
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    for (const points of polylines(plan.samples.x, c.y, toPx, f)) {
      out.push(`<polyline data-curve="${i}" stroke="${s.hex}"${dash} points="${points}"/>`);
    }
  });
  out.push('</g>');
  out.push(`<rect class="frame" x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#333333" stroke-width="1"/>`);

  out.push(...key.lines);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

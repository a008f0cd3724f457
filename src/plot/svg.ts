/**
 * The standalone SVG chart: white background, grid at the ticks, zero lines, a frame with tick
 * marks and labels, one polyline per unbroken run of finite values in each curve's colour and dash
 * style (clipped to the frame), and a legend. The <svg> element carries the data ranges and the
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

export function svgChart(plan: SvgPlan): string {
  const width = plan.width ?? 720;
  const height = plan.height ?? 450;
  const f: Frame = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const y = plan.y ?? paddedRange(extentOf(plan.samples.curves));
  const xTicks = ticksIn(plan.x, niceStep(plan.x.hi - plan.x.lo, 10));
  const yTicks = ticksIn(y, niceStep(y.hi - y.lo, 6));
  const toPx = { x: scaler(plan.x, f.left, f.right), y: scaler(y, f.bottom, f.top) };
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" ` +
      `data-x-range="${plan.x.lo} ${plan.x.hi}" data-y-range="${y.lo} ${y.hi}">`,
  );
  const labels = plan.samples.curves.map((c) => c.label).join(', ');
  out.push(`<title>${escapeXml(plan.title ?? labels)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
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

  // Legend: top left inside the frame, on a white box so grid lines do not run through the labels.
  const rowH = 18;
  const boxW = 48 + 7 * Math.max(...plan.samples.curves.map((c) => c.label.length));
  const lx = f.left + 10;
  const ly = f.top + 10;
  out.push(`<g class="legend">`);
  out.push(`<rect x="${lx}" y="${ly}" width="${boxW}" height="${8 + rowH * plan.samples.curves.length}" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>`);
  plan.samples.curves.forEach((c, i) => {
    const s = curveStyle(i);
    const cy = ly + 4 + rowH * i + rowH / 2;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(`<line x1="${lx + 8}" y1="${cy}" x2="${lx + 36}" y2="${cy}" stroke="${s.hex}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 42}" y="${cy + 4}" fill="#222222">${escapeXml(c.label)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * The sampled points as data (`activ plot --to csv|json`): one row per x with a column per curve,
 * numbers in the shortest form that reads back to the same double.
 */
import { formatNumber } from '../numbers/format.js';
import type { Samples } from './sample.js';

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header `x,<label>...`; NaN and infinities as formatNumber writes them. */
export function pointsCsv(samples: Samples): string {
  const lines = [['x', ...samples.curves.map((c) => c.label)].map(csvField).join(',')];
  for (let k = 0; k < samples.x.length; k++) {
    lines.push([formatNumber(samples.x[k]), ...samples.curves.map((c) => formatNumber(c.y[k]))].join(','));
  }
  return lines.join('\n') + '\n';
}

const jsonNumber = (v: number): string => (Number.isFinite(v) ? formatNumber(v) : 'null');

/** `{"x": [...], "curves": [{"label": ..., "y": [...]}]}`; non-finite values are null. */
export function pointsJson(samples: Samples): string {
  const curves = samples.curves.map((c) => `{"label":${JSON.stringify(c.label)},"y":[${Array.from(c.y, jsonNumber).join(',')}]}`);
  return `{"x":[${Array.from(samples.x, jsonNumber).join(',')}],"curves":[${curves.join(',')}]}\n`;
}

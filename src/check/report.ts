/**
 * `activ check`'s report as text for people and as JSON for scripts. Values are written with the
 * shortest digits of the dtype compared in; distances as counts of ulps.
 */
import { formatNumber } from '../numbers/format.js';
import { formatShortest } from '../numbers/dtype.js';
import { BINS, type CheckReport, type Discrepancy } from './compare.js';

/** What was checked, for the report's first line. */
export interface CheckSubject {
  /** The activation as called: `gelu`, `relu(max_value=6)`. */
  readonly call: string;
  readonly input: string;
  readonly results: string;
}

function ulpText(ulp: number | undefined): string {
  if (ulp === undefined) return 'NaN/sign';
  return ulp < 1e7 ? String(ulp) : ulp.toPrecision(3);
}

function meanText(mean: number): string {
  return mean === 0 ? '0' : mean < 1e7 ? String(Number(mean.toPrecision(3))) : mean.toPrecision(3);
}

function percent(n: number, of: number): string {
  if (n === 0) return '';
  const p = (100 * n) / of;
  return `${p >= 0.01 ? Number(p.toPrecision(4)) : p.toPrecision(2)}%`;
}

function table(rows: string[][], right: readonly boolean[]): string[] {
  const w = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => (right[j] ? c.padStart(w[j]) : c.padEnd(w[j]))).join('  ').trimEnd());
}

export function reportText(r: CheckReport, s: CheckSubject): string {
  const show = (x: number): string => formatShortest(x, r.dtype);
  const verdict = r.pass ? `all within ${r.tolerance} ulp: pass` : `${r.beyond} beyond ${r.tolerance} ulp: FAIL`;
  const lines = [
    `${s.call}: ${s.results} against the exact values for ${s.input}, in ${r.dtype}`,
    `${r.compared} value${r.compared === 1 ? '' : 's'} compared, ${verdict}`,
    `max ${ulpText(r.maxUlp)} ulp, mean ${meanText(r.meanUlp)} ulp`,
    '',
    ...table(
      [['ulp', 'values', ''], ...BINS.map((b) => [b, String(r.histogram[b]), percent(r.histogram[b], r.compared)])],
      [false, true, true],
    ),
  ];
  if (r.worst.length) {
    lines.push('', `worst ${r.worst.length === 1 ? 'value' : `${r.worst.length} values`}:`);
    const rows = r.worst.map((d: Discrepancy) => [
      `[${d.index.join(', ')}]`,
      d.input === undefined ? '' : formatNumber(d.input),
      show(d.expected),
      show(d.got),
      ulpText(d.ulp),
    ]);
    lines.push(...table([['at', 'input', 'expected', 'got', 'ulp'], ...rows], [false, true, true, true, true]).map((l) => '  ' + l));
  }
  return lines.join('\n') + '\n';
}

/** A value as JSON: the dtype's shortest digits, NaN and the infinities as strings. */
function jsonValue(x: number | undefined, r: CheckReport): string {
  if (x === undefined) return 'null';
  if (x !== x || x === Infinity || x === -Infinity) return `"${String(x)}"`;
  return formatShortest(x, r.dtype);
}

export function reportJson(r: CheckReport, s: CheckSubject): string {
  const worst = r.worst.map(
    (d) =>
      `{"index":${JSON.stringify(d.index)},"input":${d.input === undefined ? 'null' : jsonValue(d.input, { ...r, dtype: 'float64' })},` +
      `"expected":${jsonValue(d.expected, r)},"got":${jsonValue(d.got, r)},"ulp":${d.ulp === undefined ? 'null' : d.ulp}}`,
  );
  const fields = [
    `"activation":${JSON.stringify(s.call)}`,
    `"input":${JSON.stringify(s.input)}`,
    `"results":${JSON.stringify(s.results)}`,
    `"dtype":"${r.dtype}"`,
    `"tolerance":${r.tolerance}`,
    `"compared":${r.compared}`,
    `"pass":${r.pass}`,
    `"beyond":${r.beyond}`,
    `"max_ulp":${r.maxUlp}`,
    `"mean_ulp":${r.meanUlp}`,
    `"histogram":{${BINS.map((b) => `"${b}":${r.histogram[b]}`).join(',')}}`,
    `"worst":[${worst.join(',')}]`,
  ];
  return `{${fields.join(',')}}\n`;
}

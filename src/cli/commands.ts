/**
 * `activ list` and `activ describe NAME` (also `activ NAME --help`): the catalogue as text,
 * CSV or JSON. Everything shown comes from the registry's specs.
 */
import { ActivError } from '../errors.js';
import { catalogue, lookup } from '../kernels/registry.js';
import type { ActivationSpec } from '../kernels/spec.js';
import { defaultText } from './options.js';

export type ListFormat = 'table' | 'csv' | 'json';

function paramsText(s: ActivationSpec): string {
  return s.params.map((p) => `${p.name}=${defaultText(p)}`).join(' ');
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function listText(format: ListFormat, width = 100): string {
  const specs = catalogue();
  if (format === 'json') {
    const rows = specs.map((s) => ({
      name: s.name,
      aliases: s.aliases,
      family: s.family,
      params: s.params.map((p) => ({ name: p.name, kind: p.kind, default: p.default === undefined ? 'required' : p.default, aliases: p.aliases ?? [], doc: p.doc })),
      formula: s.formula,
      origin: s.origin,
    }));
    return JSON.stringify(rows) + '\n';
  }
  const table = specs.map((s) => [s.name, paramsText(s), s.formula]);
  if (format === 'csv') {
    return ['name,parameters,formula', ...table.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
  }
  const head = ['NAME', 'PARAMETERS', 'FORMULA'];
  const w0 = Math.max(head[0].length, ...table.map((r) => r[0].length));
  const w1 = Math.max(head[1].length, ...table.map((r) => r[1].length));
  const room = Math.max(20, width - w0 - w1 - 4);
  const cut = (s: string): string => (s.length > room ? s.slice(0, room - 1) + '…' : s);
  return [head, ...table].map((r) => `${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${cut(r[2])}`.trimEnd()).join('\n') + '\n';
}

export function describeText(name: string): string {
  const s = lookup(name);
  const lines: string[] = [];
  lines.push(`${s.name}${s.aliases.length ? ` (also: ${s.aliases.join(', ')})` : ''}: ${s.family === 'axiswise' ? 'axis-wise' : 'element-wise'}`);
  lines.push('');
  lines.push(`  ${s.formula}`);
  lines.push('');
  if (s.params.length === 0) lines.push('Parameters: none');
  else {
    lines.push('Parameters:');
    const flags = s.params.map((p) => {
      const alias = (p.aliases ?? []).map((a) => `--${a.replace(/_/g, '-')}`);
      const value = p.kind === 'boolean' ? '' : p.kind === 'numbers' ? ' <x[,x...]>' : p.kind === 'axis' ? ' <int>' : ' <x>';
      return [`--${p.name.replace(/_/g, '-')}${value}`, ...alias].join(', ');
    });
    const w = Math.max(...flags.map((f) => f.length));
    s.params.forEach((p, i) => {
      lines.push(`  ${flags[i].padEnd(w)}  default ${defaultText(p)}${p.min !== undefined ? `, at least ${p.min}` : ''}: ${p.doc}`);
    });
    lines.push(`  Or as one argument: activ '${s.name}(${s.params.map((p) => `${p.name}=...`).join(', ')})'`);
  }
  if (s.family === 'axiswise') {
    lines.push('');
    lines.push('  Tables: --axis -1 (or 1) works along each row and streams; --axis 0 works down each column');
    lines.push(s.name === 'glu' ? '  (glu down columns holds the selected values in memory).' : '  in several passes over the input (stdin is spilled to a temporary file), in constant memory.');
  }
  lines.push('');
  lines.push(...derivativeLines(s));
  lines.push(`Origin: ${s.origin}`);
  lines.push(`Example: ${s.example ?? exampleFor(s)}`);
  return lines.join('\n') + '\n';
}

/** describe's Derivative: lines (issue 13): the formula, the kinks as TensorFlow gives them, PyTorch's where it differs. */
function derivativeLines(s: ActivationSpec): string[] {
  const d = s.derivative;
  const how = s.family === 'axiswise' ? `activ ${s.name} --grad --cotangent v.csv x.csv` : `activ ${s.name} --grad ...`;
  const out = [`Derivative (${how}): ${d.formula}`];
  if (d.kinks) out.push(`  Kinks (TensorFlow's gradients): ${d.kinks}`);
  if (d.pytorch) out.push(`  PyTorch autograd differs: ${d.pytorch}`);
  return out;
}

function exampleFor(s: ActivationSpec): string {
  const required = s.params.filter((p) => p.default === undefined).map((p) => `--${p.name.replace(/_/g, '-')} 0.5`);
  return `activ ${s.name}${required.length ? ' ' + required.join(' ') : ''} -- -2 -1 0 1 2`;
}

export function parseListFormat(s: string | undefined, tty: boolean): ListFormat {
  if (s === undefined) return tty ? 'table' : 'csv';
  if (s === 'csv' || s === 'json' || s === 'table' || s === 'text') return s === 'text' ? 'table' : s;
  throw new ActivError(`--to '${s}': activ list writes table, csv or json`);
}

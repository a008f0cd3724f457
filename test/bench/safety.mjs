#!/usr/bin/env node
/**
 * Issue 9's figures as benchmark rows (not timed tests): long lines (one line of many MB through
 * sigmoid, beside an ordinary file of the same bytes; softmax along a 1,000,000-value row; one
 * NDJSON line) and many inputs (N one-line files in one call, at doubling N, to see the time grow
 * linearly). Wall clock and peak RSS (GNU time) per run; data cached in .bench-data/safety/.
 *
 *   node test/bench/safety.mjs [--quick] [--full] [--bin PATH]... [--runs N]
 *
 * --quick: small sizes (a smoke run); --full: the issue's sizes (a 300 MB line, 100,000 files);
 * several --bin: the same rows for each build (e.g. main's and a branch's), side by side.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { uniform } from './data.mjs';
import { bestOf } from './measure.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    bin: { type: 'string', multiple: true, default: [] },
    runs: { type: 'string', default: '1' },
  },
});
const bins = opt.bin.length ? opt.bin.map((b) => path.resolve(b)) : [path.join(ROOT, 'bin/activ.js')];
const runs = Number(opt.runs);
const DIR = path.join(ROOT, '.bench-data', 'safety');
fs.mkdirSync(DIR, { recursive: true });

const MB = 1_000_000;
const sizes = opt.quick
  ? { lines: [2, 4], ndjson: [2, 4], row: 100_000, files: [1000, 2000] }
  : opt.full
    ? { lines: [10, 40, 300], ndjson: [20, 40, 100], row: 1_000_000, files: [25_000, 50_000, 100_000] }
    : { lines: [10, 40], ndjson: [20, 40], row: 1_000_000, files: [10_000, 20_000] };

/** Numbers as people write them, six decimals, from a fixed seed. */
function* cells(seed) {
  const u = uniform(seed);
  for (;;) yield ((u() - 0.5) * 10).toFixed(6);
}

/** A file of `bytes` bytes of comma-separated cells, `perLine` cells a line (0: one line). */
function table(name, bytes, perLine, { open = '', close = '' } = {}) {
  const file = path.join(DIR, name);
  if (fs.existsSync(file)) return file;
  const fd = fs.openSync(file + '.part', 'w');
  const gen = cells(bytes + perLine);
  let size = 0;
  let k = 0;
  let part = [open];
  let partSize = 0;
  while (size < bytes) {
    const c = gen.next().value;
    const sep = k === 0 ? '' : perLine && k % perLine === 0 ? '\n' : ',';
    part.push(sep, c);
    size += sep.length + c.length;
    partSize += sep.length + c.length;
    k++;
    if (partSize > 1 << 20) {
      fs.writeSync(fd, part.join(''));
      part = [];
      partSize = 0;
    }
  }
  part.push(close, '\n');
  fs.writeSync(fd, part.join(''));
  fs.closeSync(fd);
  fs.renameSync(file + '.part', file);
  return file;
}

/** `n` one-line CSV files; returns their names (relative to the folder). */
function manyFiles(n) {
  const dir = path.join(DIR, 'many');
  fs.mkdirSync(dir, { recursive: true });
  const names = [];
  for (let i = 0; i < n; i++) {
    const name = `${i.toString(36)}.csv`; // short: 100,000 names must fit in one command line
    names.push(name);
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) fs.writeFileSync(file, `${(i % 1000) / 100 - 5}\n`);
  }
  return { dir, names };
}

const rows = [];
async function measure(task, size, bytes, spec) {
  const cells = [task, size];
  for (const bin of bins) {
    // runOnce passes this process's environment on
    const saved = { ...process.env };
    Object.assign(process.env, spec.env ?? {});
    const r = await bestOf(runs, { ...spec, cmd: process.execPath, args: [bin, ...spec.args], out: '/dev/null', timeoutS: 3600 });
    process.env = saved;
    if (!r.ok) cells.push(`failed: ${r.reason}`, '', '');
    else cells.push(r.wall.toFixed(2), r.peakKB ? (r.peakKB / 1024).toFixed(0) : '?', bytes ? (bytes / MB / r.wall).toFixed(1) : (spec.count / r.wall).toFixed(0));
    process.stderr.write(`${cells.join(' | ')}\n`);
  }
  rows.push(cells);
}

for (const mb of sizes.lines) {
  const long = table(`line-${mb}mb.csv`, mb * MB, 0);
  const ordinary = table(`lines-${mb}mb.csv`, mb * MB, 10);
  await measure('sigmoid, one line', `${mb} MB`, mb * MB, { args: ['sigmoid', long] });
  await measure('sigmoid, ordinary lines (10 values), one thread', `${mb} MB`, mb * MB, { args: ['sigmoid', ordinary], env: { ACTIV_THREADS: '1' } });
}
const values = sizes.row;
const row = table(`row-${values}.csv`, values * 9.5, 0);
await measure('softmax along one row', `${values.toLocaleString('en')} values`, fs.statSync(row).size, { args: ['softmax', row] });
for (const mb of sizes.ndjson) {
  const nd = table(`line-${mb}mb.ndjson`, mb * MB, 0, { open: '[', close: ']' });
  await measure('sigmoid, one NDJSON line', `${mb} MB`, mb * MB, { args: ['sigmoid', nd] });
}
for (const n of sizes.files) {
  const { dir, names } = manyFiles(n);
  await measure('sigmoid, one-line files', `${n.toLocaleString('en')} files`, 0, { args: ['sigmoid', ...names], cwd: dir, count: n });
}

const head = ['task', 'size', ...bins.flatMap((b) => [`s (${path.relative(process.cwd(), b) || b})`, 'peak MB', 'MB/s or files/s'])];
const line = (cells) => `| ${cells.join(' | ')} |`;
console.log([line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n'));

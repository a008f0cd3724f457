#!/usr/bin/env node
/**
 * The .npy row of the benchmark (issue 12): a 77 MB float64 array (9400 x 1024, values in
 * [-10, 10)) through sigmoid, activ (`activ sigmoid x.npy -o y.npy`) against a plain NumPy script
 * (np.load -> 1/(1+np.exp(-x)) -> np.save). Skipped with a note where python3 has no numpy.
 * Both outputs are read back: activ's against a double-precision reference, NumPy's against activ's.
 *
 * Registered in run.mjs (`--only npy` runs it alone); `node test/bench/npy.mjs [--quick]` runs it by itself.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compare, DOUBLE_TOL } from './check.mjs';
import { bestOf } from './measure.mjs';

export const NPY_TASK = 'npy sigmoid';
const NUMPY_SCRIPT = 'import sys, numpy as np\nx = np.load(sys.argv[1])\nnp.save(sys.argv[2], 1 / (1 + np.exp(-x)))';

/** A .npy header as np.save writes it (version 1.0, 64-byte aligned). */
function npyHeader(shape) {
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  dict += ' '.repeat(21 - String(shape[0]).length);
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const body = dict + ' '.repeat(pad) + '\n';
  return Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, body.length & 0xff, body.length >> 8]), Buffer.from(body, 'latin1')]);
}

/** The data file, generated once (a seeded LCG: the same values on every machine). */
function ensureArray(dir, rows, log) {
  const file = path.join(dir, `sigmoid-${rows}x1024.npy`);
  if (fs.existsSync(file)) return file;
  log(`generating ${file}...`);
  fs.mkdirSync(dir, { recursive: true });
  const fd = fs.openSync(file + '.tmp', 'w');
  fs.writeSync(fd, npyHeader([rows, 1024]));
  let s = 12345;
  const block = new Float64Array(1024 * 64);
  for (let r = 0; r < rows; r += 64) {
    const k = Math.min(64, rows - r) * 1024;
    for (let i = 0; i < k; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      block[i] = (s / 4294967296) * 20 - 10;
    }
    fs.writeSync(fd, new Uint8Array(block.buffer, 0, k * 8));
  }
  fs.closeSync(fd);
  fs.renameSync(file + '.tmp', file);
  return file;
}

/** The float64 values of a .npy file written by np.save or activ (C order, '<f8'). */
function readNpy(file) {
  const b = fs.readFileSync(file);
  const start = 10 + b.readUInt16LE(8);
  const copy = new Uint8Array(b.length - start);
  copy.set(b.subarray(start));
  return new Float64Array(copy.buffer);
}

/** Rows for run.mjs's table: { task, tool, isActiv, bytes, wall, peakKB, check, activWall } or a reason. */
export async function runNpyBench({ dataDir, bin, runs = 3, timeoutS = 600, quick = false, root = process.cwd(), log = console.error }) {
  const rowsN = quick ? 940 : 9400;
  const input = ensureArray(dataDir, rowsN, log);
  const bytes = fs.statSync(input).size;
  const outDir = path.join(dataDir, 'out');
  fs.mkdirSync(outDir, { recursive: true });
  const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  const tools = [
    { tool: 'activ', isActiv: true, cmd: process.execPath, args: [bin, 'sigmoid', input, '-o'] },
    { tool: 'numpy', cmd: 'python3', args: ['-c', NUMPY_SCRIPT, input], reason: hasNumpy ? null : 'python3 with numpy not found (apt-get install python3-numpy)' },
  ];
  const rows = [];
  let activ = null;
  for (const t of tools) {
    const row = { task: NPY_TASK, tool: t.tool, isActiv: !!t.isActiv, bytes };
    rows.push(row);
    if (t.reason) {
      row.reason = t.reason;
      continue;
    }
    const out = path.join(outDir, `npy-sigmoid-${t.tool}.npy`);
    log(`${NPY_TASK}: ${t.tool}...`);
    const r = await bestOf(runs, { cmd: t.cmd, args: [...t.args, out], out: null, timeoutS, cwd: root });
    if (!r.ok) {
      row.reason = r.reason;
      continue;
    }
    Object.assign(row, { wall: r.wall, peakKB: r.peakKB });
    const got = readNpy(out);
    fs.rmSync(out, { force: true });
    if (t.isActiv) {
      const x = readNpy(input);
      const want = x.map((v) => 1 / (1 + Math.exp(-v)));
      const c = compare(got, want, DOUBLE_TOL);
      row.check = `${c.text} vs ref`;
      activ = { wall: r.wall, numbers: got };
    } else {
      row.check = activ ? `${compare(got, activ.numbers, DOUBLE_TOL).text} vs activ` : 'unchecked (activ did not run)';
    }
    log(`  ${r.wall.toFixed(3)} s, ${row.check}`);
  }
  if (activ) for (const row of rows) row.activWall = activ.wall;
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const quick = process.argv.includes('--quick');
  const { markdownTable } = await import('./table.mjs');
  const rows = await runNpyBench({ dataDir: path.join(root, '.bench-data', ...(quick ? ['quick'] : [])), bin: path.join(root, 'bin/activ.js'), quick, root });
  console.log(markdownTable(rows, { memory: true }));
}

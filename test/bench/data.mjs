/**
 * Benchmark data: generated, never committed, cached under .bench-data/ and rebuilt only when
 * missing, made by another generator version, or asked for with --fresh.
 *
 * Everything is derived from fixed seeds with integer arithmetic, exact powers of ten and
 * String(x) (whose digits ECMAScript pins down), so two machines produce byte-identical files and
 * numbers from different runs can be compared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jsonDataPlan } from './json-tasks.mjs';

/** Bump when the value mix or layout changes, so stale caches are rebuilt instead of reused. */
export const GEN_VERSION = 1;

/** mulberry32: tiny and fast; a 32-bit integer generator behaves the same on every engine. */
function rng32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform doubles in [0, 1) with all 53 bits random, so the values print with 15-17 digits. */
export function uniform(seed) {
  const next = rng32(seed);
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * The cell values: the shape, full-precision doubles around [-10, 10) (the costly case for
 * parsing and formatting), in a varied mix so a fast lane cannot get away with one number shape:
 * small magnitudes (those below 1e-6 print with exponents), larger ones, and a few short decimals
 * as people type them and integers. The shares are set so the 500,000 x 8 file comes to about the
 * issue's 77 MB. Magnitudes stop at 500 so exp(-x) stays finite: awk warns on stderr for every
 * overflowing exp, which would turn its runs into a benchmark of warnings.
 */
export function valueSource(seed) {
  const u = uniform(seed);
  return () => {
    const r = u();
    const x = u() * 20 - 10;
    if (r < 0.52) return x;
    if (r < 0.87) return x / POW10[1 + ((u() * 9) | 0)];
    if (r < 0.95) return x * (r < 0.92 ? 10 : 50);
    if (r < 0.98) {
      const p = POW10[1 + ((u() * 4) | 0)];
      return Math.round(x * p) / p;
    }
    return Math.round(x * 10);
  };
}

/** The data sets; --quick divides every row count by 10 (same columns, same mix). */
export function dataPlan(quick) {
  const k = quick ? 10 : 1;
  return {
    main: { file: 'main.csv', format: 'csv', rows: 500_000 / k, cols: 8, seed: 1 },
    wide: { file: 'wide.csv', format: 'csv', rows: 10_000 / k, cols: 1000, seed: 2 },
    json: { file: 'tensor.json', format: 'json', rows: 2_000 / k, cols: 1000, seed: 3 },
    ndjson: { file: 'rows.ndjson', format: 'ndjson', rows: 200_000 / k, cols: 8, seed: 4 },
    big: { file: 'big.csv', format: 'csv', rows: 5_000_000 / k, cols: 8, seed: 5 },
    ...jsonDataPlan(quick), // the JSON lane's data (issue 10)
  };
}

/**
 * Make sure one data set is on disk and current; returns its path and size. Writes to a temporary
 * name and renames, so an interrupted run never leaves a truncated file that looks cached.
 */
export function ensureData(dir, spec, { fresh = false, log = () => {} } = {}) {
  const file = path.join(dir, spec.file);
  const metaFile = `${file}.meta.json`;
  const want = { version: GEN_VERSION, format: spec.format, rows: spec.rows, cols: spec.cols, seed: spec.seed };
  if (!fresh && fs.existsSync(file) && fs.existsSync(metaFile)) {
    try {
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
      const same = Object.keys(want).every((k) => meta[k] === want[k]);
      if (same && fs.statSync(file).size === meta.bytes) return { path: file, bytes: meta.bytes, ...spec };
    } catch {
      // unreadable metadata: fall through and regenerate
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  log(`generating ${spec.file} (${spec.rows.toLocaleString('en')} x ${spec.cols})...`);
  const tmp = `${file}.tmp`;
  const bytes = writeData(tmp, spec);
  fs.renameSync(tmp, file);
  fs.writeFileSync(metaFile, JSON.stringify({ ...want, bytes }) + '\n');
  log(`  ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { path: file, bytes, ...spec };
}

function writeData(file, spec) {
  const next = valueSource(spec.seed);
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let buf = '';
  // Strings of ~1 MB: big enough that write calls cost nothing, small enough for the 770 MB file.
  const put = (s) => {
    buf += s;
    if (buf.length >= 1 << 20) flush();
  };
  const flush = () => {
    bytes += fs.writeSync(fd, buf);
    buf = '';
  };
  const row = new Array(spec.cols);
  const fill = () => {
    for (let c = 0; c < spec.cols; c++) row[c] = String(next());
    return row.join(',');
  };
  if (spec.format === 'csv') {
    put(Array.from({ length: spec.cols }, (_, c) => `c${c + 1}`).join(',') + '\n');
    for (let r = 0; r < spec.rows; r++) put(fill() + '\n');
  } else if (spec.format === 'ndjson') {
    for (let r = 0; r < spec.rows; r++) put('[' + fill() + ']\n');
  } else if (spec.format === 'json') {
    // One row per line: a valid rank-2 JSON tensor that is still readable with head.
    put('[\n');
    for (let r = 0; r < spec.rows; r++) put('[' + fill() + (r + 1 < spec.rows ? '],\n' : ']\n'));
    put(']\n');
  } else {
    throw new Error(`unknown format ${spec.format}`);
  }
  flush();
  fs.closeSync(fd);
  return bytes;
}

/** The kernels' in-process input: n doubles in [-10, 10), the same in every child process. */
export function kernelInput(n, seed = 7) {
  const u = uniform(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = u() * 20 - 10;
  return a;
}

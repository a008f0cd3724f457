/**
 * Do the tools compute the same numbers? Every output (CSV, JSON, NDJSON, text) is read as a flat
 * stream of numbers in row-major order and compared value by value with a tolerance: peers print
 * differently (awk's %.17g, Miller's long fixed notation, jq's %.17g) but must mean the same
 * doubles, up to the rounding of a different but equally valid formula.
 */
import fs from 'node:fs';

/** A growable Float64Array: outputs are read before their size is known. */
class Numbers {
  constructor() {
    this.a = new Float64Array(1 << 16);
    this.n = 0;
  }
  push(v) {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done() {
    return this.a.subarray(0, this.n);
  }
}

/** Characters that separate numbers in any of the formats: , ; tab space newline [ ] */
const SEP = new Uint8Array(128);
for (const c of ',;\t \r\n[]') SEP[c.charCodeAt(0)] = 1;

/**
 * All numbers in a file, in order. Tokens on the first line that are not numbers are a header and
 * skipped; anywhere else a non-number is read as NaN so it shows up as a mismatch. Streams the
 * file, since outputs of the wide file can pass V8's string length limit.
 */
export async function readNumbers(file) {
  const out = new Numbers();
  let line = 1;
  let carry = '';
  const token = (t) => {
    if (t === '') return;
    const v = Number(t);
    if (Number.isNaN(v) && t !== 'NaN' && line === 1) return;
    out.push(v);
  };
  const scan = (s, final) => {
    let start = 0;
    const end = s.length;
    for (let i = 0; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c < 128 && SEP[c] === 1) {
        if (i > start) token(s.slice(start, i));
        if (c === 10) line++;
        start = i + 1;
      }
    }
    if (final) token(s.slice(start));
    return s.slice(start);
  };
  for await (const chunk of fs.createReadStream(file, { encoding: 'latin1', highWaterMark: 4 << 20 })) {
    carry = scan(carry + chunk, false);
  }
  scan(carry, true);
  return out.done();
}

/** Keras's definitions in plain doubles: the harness's own reference. */
export function reference(op, input, cols) {
  const n = input.length;
  const y = new Float64Array(n);
  if (op === 'sigmoid') {
    for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-input[i]));
  } else if (op === 'tanh') {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(input[i]);
  } else if (op === 'softmax') {
    // along rows (the last axis)
    for (let r = 0; r < n; r += cols) {
      let m = -Infinity;
      for (let j = r; j < r + cols; j++) if (input[j] > m) m = input[j];
      let s = 0;
      for (let j = r; j < r + cols; j++) s += y[j] = Math.exp(input[j] - m);
      for (let j = r; j < r + cols; j++) y[j] /= s;
    }
  } else if (op === 'softmax0') {
    // down columns (axis 0)
    const rows = n / cols;
    for (let c = 0; c < cols; c++) {
      let m = -Infinity;
      for (let r = 0; r < rows; r++) if (input[r * cols + c] > m) m = input[r * cols + c];
      let s = 0;
      for (let r = 0; r < rows; r++) s += y[r * cols + c] = Math.exp(input[r * cols + c] - m);
      for (let r = 0; r < rows; r++) y[r * cols + c] /= s;
    }
  } else {
    return null; // no reference (gelu needs erf, which JS lacks): compare with activ only
  }
  return y;
}

/**
 * Compare got against want: |a - b| <= rtol * max(|a|, |b|) + atol. atol is tiny for doubles
 * (only subnormals, where relative precision runs out, need it) and 1e-6 for float32 tools,
 * whose outputs are at most a few units and whose errors are absolute near zero.
 */
export function compare(got, want, { rtol, atol }) {
  if (got.length !== want.length) {
    return { ok: false, text: `MISMATCH: ${fmtCount(got.length)} values, expected ${fmtCount(want.length)}` };
  }
  let bad = 0;
  let worst = 0;
  let first = -1;
  for (let i = 0; i < got.length; i++) {
    const a = got[i];
    const b = want[i];
    if (a === b) continue;
    const d = Math.abs(a - b);
    const lim = rtol * Math.max(Math.abs(a), Math.abs(b)) + atol;
    if (!(d <= lim)) {
      if (bad++ === 0) first = i;
      // worst error relative to the tolerance, so one figure covers both the abs and rel parts
      const r = Number.isNaN(d) ? Infinity : d / lim;
      if (r > worst) worst = r;
    }
  }
  if (bad === 0) return { ok: true, text: `ok (${fmtCount(got.length)})` };
  return {
    ok: false,
    text: `MISMATCH ${bad}/${fmtCount(got.length)} (first at value #${first}: ${got[first]} vs ${want[first]}; worst ${worst === Infinity ? 'NaN' : `${worst.toPrecision(2)}x tol`})`,
  };
}

export function fmtCount(n) {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export const DOUBLE_TOL = { rtol: 1e-12, atol: 1e-300 };
export const FLOAT32_TOL = { rtol: 1e-6, atol: 1e-6 };

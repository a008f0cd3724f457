// Micro-benchmark of the number layer against V8's own conversions, in one run so the ratios
// are comparable. Needs the built dist/ (npm run build). Usage:
//   node test/numbers/bench.mjs [millions=4]
// Data: half uniform in [-100, 100), half sigmoid outputs in (0, 1): what activ reads and writes.
import { formatNumberInto } from '../../dist/numbers/format.js';
import { parseNumberBytes } from '../../dist/numbers/parse.js';

const n = Math.round(Number(process.argv[2] ?? 4) * 1e6);
const xs = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const u = Math.random() * 200 - 100;
  xs[i] = i & 1 ? 1 / (1 + Math.exp(-u / 10)) : u;
}
const out = Buffer.allocUnsafe(n * 26);

function bestOf(runs, fn) {
  let best = Infinity;
  let result;
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    result = fn();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (ms < best) best = ms;
  }
  return [best, result];
}

const [tFormat, endA] = bestOf(5, () => {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    pos = formatNumberInto(xs[i], out, pos);
    out[pos++] = 10;
  }
  return pos;
});
const mine = out.toString('latin1', 0, endA);

const [tString, endB] = bestOf(5, () => {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const s = String(xs[i]);
    for (let j = 0; j < s.length; j++) out[pos + j] = s.charCodeAt(j);
    pos += s.length;
    out[pos++] = 10;
  }
  return pos;
});
const theirs = out.toString('latin1', 0, endB);
if (mine !== theirs) throw new Error('formatNumberInto output differs from String(x)');

const [tLatin1Write] = bestOf(5, () => {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    pos += out.latin1Write(String(xs[i]), pos);
    out[pos++] = 10;
  }
  return pos;
});

// Parse the text just written: cell boundaries first, so only the conversion is timed.
const starts = new Int32Array(n + 1);
for (let i = 0, c = 0; i < endB; i++) if (out[i] === 10) starts[++c] = i + 1;
const [tParse, sumA] = bestOf(5, () => {
  let s = 0;
  for (let i = 0; i < n; i++) s += parseNumberBytes(out, starts[i], starts[i + 1] - 1);
  return s;
});
const [tNumber, sumB] = bestOf(5, () => {
  let s = 0;
  for (let i = 0; i < n; i++) s += Number(out.latin1Slice(starts[i], starts[i + 1] - 1));
  return s;
});
if (sumA !== sumB) throw new Error('parseNumberBytes disagrees with Number()');

const f = (ms) => `${ms.toFixed(0)} ms (${((ms * 1e6) / n).toFixed(0)} ns/value)`;
console.log(`${n} doubles, ${(endB / 1e6).toFixed(1)} MB of text, node ${process.version}`);
console.log(`format  formatNumberInto          ${f(tFormat)}`);
console.log(`        String(x) + byte loop     ${f(tString)}  -> ${(tString / tFormat).toFixed(2)}x slower`);
console.log(`        String(x) + latin1Write   ${f(tLatin1Write)}  -> ${(tLatin1Write / tFormat).toFixed(2)}x slower`);
console.log(`parse   parseNumberBytes          ${f(tParse)}`);
console.log(`        Number(latin1Slice)       ${f(tNumber)}  -> ${(tNumber / tParse).toFixed(2)}x slower`);

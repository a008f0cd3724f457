// Long randomized check of the number layer against V8 (String(x) / Number(s)), on the built
// dist/ files. Not part of `npm test` (it takes a while); run after `npm run build`:
//   node test/numbers/soak.mjs [millions=10] [seed=1]
// Every double is checked four ways: formatNumberInto vs String(x); parseNumberBytes and
// parseNumber of String(x) vs x; and of toExponential/toPrecision/toFixed variants vs Number().
import { formatNumberInto } from '../../dist/numbers/format.js';
import { parseNumber, parseNumberBytes } from '../../dist/numbers/parse.js';

const millions = Number(process.argv[2] ?? 10);
let seed = Number(process.argv[3] ?? 1) >>> 0;
// xorshift32: reproducible from the seed, unlike Math.random.
function rnd() {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
}
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const out = new Uint8Array(64);
const enc = new Uint8Array(400);

function toBytes(s) {
  for (let i = 0; i < s.length; i++) enc[i] = s.charCodeAt(i);
  return s.length;
}
let failures = 0;
function fail(what, x, s, got, want) {
  if (++failures <= 20) console.error(`MISMATCH ${what}: x=${x} s=${JSON.stringify(s)} got=${got} want=${want}`);
}
function same(a, b) {
  return Object.is(a, b);
}
function checkParse(s) {
  const want = Number(s);
  const n = toBytes(s);
  const got = parseNumberBytes(enc, 0, n);
  if (!same(got, want)) fail('parseNumberBytes', want, s, got, want);
  const got2 = parseNumber(s);
  if (!same(got2, want)) fail('parseNumber', want, s, got2, want);
}
function checkX(x) {
  const want = x === 0 && 1 / x < 0 ? '-0' : String(x);
  const n = formatNumberInto(x, out, 0);
  let got = '';
  for (let i = 0; i < n; i++) got += String.fromCharCode(out[i]);
  if (got !== want) fail('formatNumberInto', x, want, got, want);
  checkParse(want);
}

const kinds = [
  // any bit pattern: every exponent, subnormals included
  () => {
    u32[0] = rnd();
    u32[1] = rnd();
    return f64[0];
  },
  // CSV-like data
  () => (rnd() / 4294967296) * 200 - 100,
  () => 1 / (1 + Math.exp(-((rnd() / 4294967296) * 40 - 20))),
  // short decimals
  () => Number(`${(rnd() % 2000000) - 1000000}e${(rnd() % 40) - 25}`),
  // exponents near the 1e-7 / 1e21 layout switches and 2^53
  () => (1 + rnd() / 4294967296) * 10 ** ((rnd() % 36) - 10),
  () => 2 ** 53 + (rnd() % 100000) * 2 ** (rnd() % 12),
];

const total = millions * 1e6;
const t0 = Date.now();
let checked = 0;
for (let i = 0; i < total; i++) {
  const x = kinds[i % kinds.length]();
  if (x !== x) continue;
  checkX(x);
  checked++;
  if (i % 8 === 0 && Number.isFinite(x) && x !== 0) {
    checkParse(x.toExponential(rnd() % 21));
    checkParse(x.toPrecision(1 + (rnd() % 21)));
    if (Math.abs(x) < 1e21) checkParse(x.toFixed(rnd() % 21));
  }
}
console.log(
  `soak: ${checked} doubles (plus ${Math.floor(total / 8)}x3 text variants) checked in ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s, ${failures} mismatches`,
);
process.exit(failures ? 1 : 0);

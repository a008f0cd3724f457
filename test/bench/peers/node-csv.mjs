/**
 * Peer: what a Node user writes without activ. csv-parse -> map -> csv-stringify, numbers out
 * with String(x) (shortest round-trip, like activ). The header row passes through.
 *
 *   node node-csv.mjs sigmoid|softmax FILE > OUT
 */
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

const [mode, file] = process.argv.slice(2);

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
function softmax(x) {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
const f = mode === 'softmax' ? softmax : (row) => row.map(sigmoid);

let first = true;
const map = new Transform({
  objectMode: true,
  transform(record, _enc, done) {
    if (first) {
      first = false;
      if (record.some((c) => Number.isNaN(Number(c)))) return done(null, record);
    }
    done(null, f(record.map(Number)));
  },
});

await pipeline(fs.createReadStream(file), parse(), map, stringify({ cast: { number: (x) => String(x) } }), process.stdout);

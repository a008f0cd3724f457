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
import { rowFunction } from './naive.mjs';

const [mode, file] = process.argv.slice(2);

const f = rowFunction(mode);

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

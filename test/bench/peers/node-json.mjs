/**
 * Peer: plain Node for JSON and NDJSON. JSON: JSON.parse the whole tensor, map, JSON.stringify.
 * NDJSON: a line at a time through readline. Numbers print as JSON.stringify prints them, which is
 * String(x).
 *
 *   node node-json.mjs sigmoid|softmax json|ndjson FILE > OUT
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { rowFunction } from './naive.mjs';

const [mode, format, file] = process.argv.slice(2);

const f = rowFunction(mode);

if (format === 'json') {
  const t = JSON.parse(fs.readFileSync(file, 'utf8'));
  process.stdout.write(JSON.stringify(t.map(f)) + '\n');
} else {
  // Batch lines into one write per ~1 MB, and respect backpressure, as a careful user would.
  let buf = '';
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    buf += JSON.stringify(f(JSON.parse(line))) + '\n';
    if (buf.length > 1 << 20) {
      if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
      buf = '';
    }
  }
  process.stdout.write(buf);
}

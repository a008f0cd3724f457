/**
 * Which format an input is in: --from, else the file extension, else a look at the content.
 * Adding a format: a reader and writer in its own file, a name in FORMATS, a line here.
 */
import { promises as fsp } from 'node:fs';
import { ActivError } from '../errors.js';
import { FORMATS, type Format } from './block.js';
import type { Input } from './streams.js';

const BY_EXT: Record<string, Format> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  txt: 'text',
  npy: 'npy', // npy seam: NumPy arrays (src/pipeline/npy.ts)
  npz: 'npz',
};

export function parseFormat(s: string, flag: string): Format {
  const f = s.toLowerCase() === 'jsonl' ? 'ndjson' : s.toLowerCase() === 'txt' ? 'text' : s.toLowerCase();
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new ActivError(`${flag} '${s}': expected one of ${FORMATS.join(', ')}`);
  }
  return f as Format;
}

export function formatFromExtension(ext: string): Format | undefined {
  return BY_EXT[ext];
}

/**
 * npy seam: the output format an `-o` path implies when --to is not given: .npy and .npz always
 * (binary); another known extension only when the input is a NumPy file (`x.npy -o y.csv`).
 */
export function outputFormatFromPath(path: string | undefined, inputIsArray: boolean): Format | undefined {
  const m = path === undefined ? null : /\.([A-Za-z0-9]+)$/.exec(path);
  const f = m ? BY_EXT[m[1].toLowerCase()] : undefined;
  return f === 'npy' || f === 'npz' || inputIsArray ? f : undefined;
}

/** Guess from the first bytes of the content. */
export function sniff(head: string): Format {
  // npy seam: the magic bytes (\x93 decodes as U+FFFD) and a zip archive's signature.
  if (head.startsWith('\uFFFDNUMPY')) return 'npy';
  if (head.startsWith('PK\u0003\u0004')) return 'npz';
  const text = head.replace(/^\uFEFF/, '');
  const t = text.trimStart();
  if (t === '') return 'text';
  if (t[0] === '[' || t[0] === '{') {
    // One complete value on the first line and more lines after it: NDJSON; else a document.
    const lines = t.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 1) {
      try {
        JSON.parse(lines[0]);
        return 'ndjson';
      } catch {
        return 'json';
      }
    }
    return 'json';
  }
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  if (first.includes('\t')) return 'tsv';
  if (first.includes(',')) return 'csv';
  return 'text';
}

/** The first bytes of an input, without consuming it (a one-shot input is replaced by one that replays them). */
export async function peek(input: Input, bytes = 1 << 16): Promise<{ input: Input; head: string }> {
  if (input.text !== undefined) return { input, head: input.text.slice(0, bytes) };
  if (input.rereadable) {
    let fh: fsp.FileHandle | undefined;
    try {
      fh = await fsp.open(input.path, 'r');
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return { input, head: buf.subarray(0, bytesRead).toString('utf8') };
    } catch {
      // Let the real read report the error with its message.
      return { input, head: '' };
    } finally {
      await fh?.close();
    }
  }
  // A pipe may deliver a few bytes at a time: read until two lines are in, 64 KiB, or the end.
  const it = input.chunks()[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    got.push(r.value);
    size += r.value.length;
    const h = Buffer.concat(got).toString('utf8');
    const nl = h.indexOf('\n');
    if (nl >= 0 && h.indexOf('\n', nl + 1) >= 0) break;
  }
  const head = Buffer.concat(got);
  const replay: Input = {
    ...input,
    async *chunks() {
      if (head.length) yield head;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    },
  };
  return { input: replay, head: head.toString('utf8') };
}

export async function detectFormat(input: Input, from: Format | undefined): Promise<{ input: Input; format: Format }> {
  if (from) return { input, format: from };
  const byExt = formatFromExtension(input.ext);
  if (byExt) return { input, format: byExt };
  const p = await peek(input);
  return { input: p.input, format: sniff(p.head) };
}

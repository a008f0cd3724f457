/**
 * Format names as a file's name or first bytes tell them: the extension table and the look at the
 * content. Apart from formats.ts (which re-exports them) so that the quick path (src/cli/quick.ts,
 * a small file on the command line) decides the format exactly as main() does without loading
 * the readers and writers.
 */
import type { Format } from './table.js';

export const BY_EXT: Record<string, Format> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  txt: 'text',
  npy: 'npy', // npy seam: NumPy arrays (src/io/arrays.ts)
  npz: 'npz',
};

export function formatFromExtension(ext: string): Format | undefined {
  return BY_EXT[ext];
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

import { describe, expect, test } from 'vitest';
import { detectFormat, formatFromExtension, parseFormat, sniff } from '../../src/io/formats.js';
import { textInput } from '../../src/io/streams.js';

describe('formats', () => {
  test('by name, with the usual synonyms', () => {
    expect(parseFormat('CSV', '--from')).toBe('csv');
    expect(parseFormat('jsonl', '--from')).toBe('ndjson');
    expect(parseFormat('txt', '--to')).toBe('text');
    expect(() => parseFormat('xml', '--to')).toThrow(/--to 'xml': expected one of csv, tsv, json, ndjson, text/);
  });
  test('by extension', () => {
    expect(formatFromExtension('tab')).toBe('tsv');
    expect(formatFromExtension('jsonl')).toBe('ndjson');
    expect(formatFromExtension('txt')).toBe('text');
    expect(formatFromExtension('dat')).toBeUndefined();
  });
  test('sniffed from content', () => {
    expect(sniff('a,b\n1,2\n')).toBe('csv');
    expect(sniff('\uFEFFa,b\n')).toBe('csv');
    expect(sniff('a\tb\n1\t2\n')).toBe('tsv');
    expect(sniff('1 2 3\n')).toBe('text');
    expect(sniff('[[1,2],\n [3,4]]\n')).toBe('json');
    expect(sniff('[1,2]\n')).toBe('json');
    expect(sniff('[1,2]\n[3,4]\n')).toBe('ndjson');
    expect(sniff('{"a":1}\n{"a":2}\n')).toBe('ndjson');
    expect(sniff('')).toBe('text');
  });
  test('detectFormat keeps the content readable', async () => {
    const { input, format } = await detectFormat({ ...textInput('1,2\n'), kind: 'stream' }, {});
    expect(format).toBe('csv');
    const chunks: Buffer[] = [];
    for await (const c of input.chunks()) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('1,2\n');
  });
});

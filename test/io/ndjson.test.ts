/**
 * readNdjson (src/io/ndjson.ts): the general reader of NDJSON. Its records keep the source text of
 * each member (written back as it came when the activation leaves it alone); the texts of a
 * batch's records come from one scan of them together, which must give each line its own.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { readNdjson } from '../../src/io/ndjson.js';
import { textInput } from '../../src/io/streams.js';
import type { Row } from '../../src/io/table.js';

async function rowsOf(text: string): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of readNdjson(textInput(text, 't.ndjson'))) rows.push(...batch);
  return rows;
}

// member values as written, each its own compact source text
const spelling = fc.constantFrom('1.0', '1e2', '-0', '11111111112222222222', '"s\\u0041"', '"é\\n"', '[1,2.50]', '{"x":1.50}', 'null', 'true', '0.1');
const record = fc.array(spelling, { minLength: 0, maxLength: 4 });
const line = fc.oneof(
  { weight: 4, arbitrary: record.map((vs) => ({ kind: 'record' as const, vs })) },
  { weight: 1, arbitrary: fc.constantFrom('', '[1,2.0]', '3.50', '  ').map((text) => ({ kind: 'other' as const, text })) },
);

test('every record row has its own members: keys, values and source texts, whatever lines are around it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
      const texts = lines.map((l) => (l.kind === 'record' ? `{${l.vs.map((v, i) => `"k${i}": ${v}`).join(' ,')}}` : l.text));
      const rows = await rowsOf(texts.join(eol) + eol);
      expect(rows.length).toBe(lines.length);
      lines.forEach((l, i) => {
        expect(rows[i].line).toBe(i + 1);
        if (l.kind !== 'record') return;
        expect(rows[i].form).toBe('record');
        expect(rows[i].keys).toEqual(l.vs.map((_, k) => `k${k}`));
        expect(rows[i].cells).toEqual(l.vs.map((v) => JSON.parse(v) as unknown));
        expect(rows[i].raw ?? []).toEqual(l.vs); // {} has no texts
      });
    }),
    { numRuns: 200 },
  );
});

test('a bad line is reported with its line and column, as before any batch is given', async () => {
  await expect(rowsOf('{"a":1}\n{"a":2} x\n')).rejects.toThrow('t.ndjson:2:9: invalid JSON');
});

/**
 * The JSON lane (src/io/jsonlane/) against the general reader (JSON.parse of each document), on
 * generated documents: nesting, whitespace, number spellings, strings with escapes and unicode,
 * records and objects, sequences, and errors at every position. Both lanes must write the same
 * bytes and fail with the same message; on a failure each has written as far as it got (the lane
 * streams a document's start; the general reader looks ahead a few lines), so one output is the
 * start of the other, never anything else.
 */
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileInput, Sink, textInput } from '../../src/io/streams.js';
import { parseColumns } from '../../src/io/select.js';
import { lookup } from '../../src/kernels/registry.js';
import { makePlan, runPipeline, type PlanChoices } from '../../src/pipeline/index.js';

/** The options a test varies, and the lane (ACTIV_LANE=general is how the CLI turns the byte lanes off). */
type Over = Partial<PlanChoices> & { lane?: 'general' };

function planOf(name: string, params: Record<string, unknown>, over: Over, note: (m: string) => void): ReturnType<typeof makePlan> {
  const { lane, ...choices } = over;
  if (lane) process.env.ACTIV_LANE = 'general';
  try {
    return makePlan({ spec: lookup(name), params, note, ...choices });
  } finally {
    delete process.env.ACTIV_LANE;
  }
}
import { JsonScanner, JsonSyntaxError, MAX_DEPTH, type JsonEvents } from '../../src/io/jsonlane/scan.js';

interface Outcome {
  out: string;
  err?: string;
  notes: string[];
}

async function run(text: string | Buffer, name: string, over: Over, params: Record<string, unknown>, chunk = 1 << 20): Promise<Outcome> {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (c) => (out += c));
  const sink = new Sink(stream, 'out');
  const notes: string[] = [];
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const input = {
    ...textInput('', 'doc.json'),
    kind: 'stream' as const,
    text: undefined,
    path: 'no such file',
    // Small chunks put token and document boundaries everywhere.
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
  };
  let err: string | undefined;
  try {
    await runPipeline([input], planOf(name, params, { from: 'json', ...over }, (m) => notes.push(m)), sink);
  } catch (e) {
    err = (e as Error).message;
  }
  await sink.finish(false);
  return { out, err, notes };
}

/** Both lanes on one input: the same bytes, the same error, the same notes. */
async function same(text: string | Buffer, name: string, over: Over = {}, params: Record<string, unknown> = {}, chunk?: number): Promise<Outcome> {
  const lane = await run(text, name, over, params, chunk);
  const general = await run(text, name, { ...over, lane: 'general' }, params, chunk);
  expect(lane.err).toBe(general.err);
  if (general.err === undefined) expect(lane.out).toBe(general.out);
  // On a failure each wrote as far as it got (readers look ahead by different amounts): one output is the start of the other.
  else expect(lane.out.startsWith(general.out) || general.out.startsWith(lane.out)).toBe(true);
  if (general.err === undefined) expect(lane.notes).toEqual(general.notes);
  return lane;
}

// ---------------------------------------------------------------------------------------------
// Generators

const ws = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n', '  \n  ');

/** A number as people and programs spell it, with the value it must read as. */
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('1.0', '1e2', '1E+2', '-0', '0.5e-3', '18446744073709551616', '11111111112222222222', '1e400', '-1e-400', '0.1000000000000000055511151231257827', '5e-324', '2.5E-3'),
  fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: -30, max: 30 })).map(([a, b, e]) => `${a}.${b}e${e}`),
);

/** Strings whose JSON spelling is JSON.stringify's (the general reader writes them that way). */
const plainString = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('é', '日本', '😀', 'a"b', 'back\\slash', 'tab\t', 'NaN', 'Infinity')).map((s) => JSON.stringify(s));

interface Tensor {
  dims: number[];
  leaves: string[];
}

const tensor = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .chain((dims) => fc.array(numberText, { minLength: dims.reduce((a, b) => a * b, 1), maxLength: dims.reduce((a, b) => a * b, 1) }).map((leaves) => ({ dims, leaves })));

/** A fault in a tensor: a leaf replaced, an element dropped or added, a leaf nested deeper. */
const fault = fc.oneof(
  fc.constant(undefined),
  fc.constant(undefined),
  fc.record({
    kind: fc.constantFrom('leaf', 'drop', 'add', 'deep'),
    at: fc.nat(),
    value: fc.oneof(plainString, fc.constantFrom('null', 'true', 'false', '{"a":[1,2]}', '"NaN"', '"-Infinity"', '[]')),
  }),
);

function spell(t: Tensor, f: { kind: string; at: number; value: string } | undefined, space: string[]): string {
  let k = 0;
  let s = 0;
  const w = (): string => space[s++ % space.length];
  const leaf = (): string => {
    const i = k++;
    if (f && i === f.at % t.leaves.length) {
      if (f.kind === 'leaf') return f.value;
      if (f.kind === 'deep') return `[${t.leaves[i]}]`;
    }
    return t.leaves[i];
  };
  const build = (d: number): string => {
    if (d === t.dims.length) return leaf();
    const parts: string[] = [];
    for (let i = 0; i < t.dims[d]; i++) parts.push(w() + build(d + 1) + w());
    if (f && d === t.dims.length - 1 && k - 1 === f.at % t.leaves.length) {
      if (f.kind === 'drop' && parts.length > 1) parts.pop();
      if (f.kind === 'add') parts.push(f.value);
    }
    return '[' + parts.join(',') + ']';
  };
  return build(0);
}

const record = fc
  .dictionary(fc.constantFrom('id', 'x', 'y', 'name', 'w', 'é'), fc.oneof(numberText.filter((n) => String(Number(n)) === n), plainString, fc.constantFrom('null', 'true', '[1,-2]', '[[1,2],[3,4]]')), {
    minKeys: 1,
    maxKeys: 4,
  })
  .map((d) => '{' + Object.entries(d).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}');

const document = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(tensor, fault, fc.array(ws, { minLength: 1, maxLength: 5 })).map(([t, f, space]) => spell(t, f, space)) },
  { weight: 1, arbitrary: record },
  { weight: 1, arbitrary: fc.array(record, { minLength: 1, maxLength: 3 }).map((r) => `[${r.join(',')}]`) },
  { weight: 1, arbitrary: numberText },
);

const sequence = fc.tuple(fc.array(document, { minLength: 1, maxLength: 3 }), fc.constantFrom('\n', ' ', '\n\n', '', '\r\n')).map(([docs, sep]) =>
  // Numbers next to each other would read as one: keep a space between documents then.
  docs.reduce((acc, d) => (acc === '' ? d : acc + (sep === '' ? ' ' : sep) + d), '') + '\n',
);

const job = fc.oneof(
  fc.constant({ name: 'relu', params: {}, over: {} }),
  fc.constant({ name: 'sigmoid', params: {}, over: {} }),
  fc.constant({ name: 'exponential', params: {}, over: {} }),
  fc.constant({ name: 'softmax', params: {}, over: {} }),
  fc.constant({ name: 'log_softmax', params: {}, over: {} }),
  fc.constant({ name: 'softmax', params: { axis: 0 }, over: {} }),
  fc.constant({ name: 'softmax', params: { axis: 1 }, over: {} }),
  fc.constant({ name: 'sparsemax', params: { axis: -2 }, over: {} }),
  fc.constant({ name: 'relu', params: {}, over: { onInvalid: 'keep' as const } }),
  fc.constant({ name: 'relu', params: {}, over: { onInvalid: 'null' as const } }),
  fc.constant({ name: 'tanh', params: {}, over: { onInvalid: 'skip' as const } }),
  fc.constant({ name: 'exponential', params: {}, over: { nonfinite: 'string' as const } }),
  fc.constant({ name: 'sigmoid', params: {}, over: { precision: 4 } }),
  fc.constant({ name: 'relu', params: {}, over: { to: 'csv' as const } }),
);

// ---------------------------------------------------------------------------------------------

describe('JSON lane = general reader', () => {
  test('generated documents and sequences, whole and in small chunks', async () => {
    await fc.assert(
      fc.asyncProperty(sequence, job, fc.constantFrom(1 << 20, 7, 1), async (text, j, chunk) => {
        await same(text, j.name, j.over, j.params, chunk);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  test('a syntax error at every position: same place and words, output as far as it got', async () => {
    await fc.assert(
      fc.asyncProperty(sequence, fc.nat(), fc.constantFrom('', 'x', ',', ']', '}', '"', '-', '.', '\u0001', '[', ':', 'tru'), async (text, at, insert) => {
        const i = at % text.length;
        const broken = insert === '' ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i);
        await same(broken, 'relu', {}, {}, 5);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  test('big documents go through in pieces: flushes inside a tensor and along rows', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 3000; i++) rows.push(`[${[Math.sin(i) * 30, i % 17, -i / 100, 1e-300 * i].join(', ')}]`);
    const text = `[\n${rows.join(',\n')}\n]\n[[1,2],[3,4]]`;
    await same(text, 'sigmoid', {}, {}, 4096);
    await same(text, 'softmax', {}, {}, 4096);
    await same(text.replace('[17, 0, -17,', '[17, 0,'), 'softmax', {}, {}, 4096);
  });
});

const ndjsonLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.array(numberText, { maxLength: 5 }), ws).map(([a, w]) => `${w}[${a.join(`,${w}`)}]`) },
  { weight: 2, arbitrary: numberText },
  { weight: 1, arbitrary: fc.constantFrom('', '  ', '{"a":-1,"b":"x"}', '["x",-3]', '[1,null]', '"NaN"', '[1,2,3,4,5,6,7]', '[1,"NaN"]', '[1,2]\r', '[1,', '01', '[-]') },
  { weight: 1, arbitrary: record },
);

describe('NDJSON lane = general reader', () => {
  // Which of two bad lines the general reader reports first depends on its batches (a syntax error
  // fails the whole batch being read): failures are compared on whole inputs, successes in chunks too.
  test('generated lines, whole and in small chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ndjsonLine, { minLength: 1, maxLength: 8 }), fc.boolean(), job, fc.constantFrom(7, 1), async (lines, lastLf, j, chunk) => {
        if (j.over.to) return; // tables as output: the general writer only
        const text = lines.join('\n') + (lastLf ? '\n' : '');
        const whole = await same(text, j.name, { ...j.over, from: 'ndjson' }, j.params);
        if (whole.err === undefined) await same(text, j.name, { ...j.over, from: 'ndjson' }, j.params, chunk);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});

describe("jq's streams of 1-D documents = NDJSON lines", () => {
  test('generated vectors, pretty-printed or not, give the NDJSON lines\' bytes in both lanes', async () => {
    const vector = fc.array(numberText, { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(vector, { minLength: 2, maxLength: 4 }),
        fc.array(ws, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('softmax', 'log_softmax', 'sparsemax', 'softmin'),
        fc.constantFrom(1 << 20, 5, 1),
        async (docs, space, name, chunk) => {
          let s = 0;
          const w = (): string => space[s++ % space.length];
          const stream = docs.map((d) => `[${w()}${d.join(`,${w()}`)}${w()}]`).join('\n');
          const lines = await run(docs.map((d) => `[${d.join(',')}]`).join('\n') + '\n', name, { from: 'ndjson' }, {});
          const r = await same(stream, name, {}, {}, chunk);
          expect(r.err).toBe(lines.err);
          expect(r.out).toBe(lines.out);
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});

describe('JSON lane down the first axis (passes over a file) = general reader', () => {
  test('generated tensors in files, and their faults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'activ-jsonlane-'));
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(tensor, fault, fc.array(ws, { minLength: 1, maxLength: 5 })).map(([t, f, space]) => spell(t, f, space)),
          fc.constantFrom('softmax', 'log_softmax', 'softmin', 'sparsemax', 'glu'),
          fc.constantFrom('', '\n[1]', ' '),
          fc.constantFrom(0, -2, -3),
          async (doc, name, tail, axis) => {
            const file = join(dir, `t${n++}.json`);
            writeFileSync(file, doc + tail);
            const over = { from: 'json' as const };
            const lane = await runFile(file, name, over, axis);
            const general = await runFile(file, name, { ...over, lane: 'general' }, axis);
            expect(lane.err).toBe(general.err);
            if (general.err === undefined) expect(lane.out).toBe(general.out);
            else expect(lane.out.startsWith(general.out)).toBe(true);
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

async function runFile(path: string, name: string, over: Over, axis: number): Promise<Outcome> {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (c) => (out += c));
  const sink = new Sink(stream, 'out');
  let err: string | undefined;
  try {
    await runPipeline([fileInput(path)], planOf(name, { axis }, over, () => {}), sink);
  } catch (e) {
    err = (e as Error).message.replace(path, 'FILE');
  }
  await sink.finish(false);
  return { out, err, notes: [] };
}

describe('JSON lane: what only it does', () => {
  test('jq streams: pretty-printed documents one after another', async () => {
    const r = await same('[\n  1,\n  -2\n]\n[\n  3\n]\n', 'relu');
    expect(r.out).toBe('[1,0]\n[3]\n');
  });

  test('jq streams of 1-D documents: each is a row, as an NDJSON line is; a lone one stays 1-D (softmax refuses it)', async () => {
    const pretty = '[\n  1,\n  2,\n  3\n]\n[\n  -1,\n  0.5\n]\n[\n  7\n]\n';
    const ndjson = await run('[1,2,3]\n[-1,0.5]\n[7]\n', 'softmax', { from: 'ndjson' }, {});
    for (const chunk of [1 << 20, 3, 1]) {
      // Both lanes (the general one applies the kernel to [1, n]); the first document is held until the second starts.
      const r = await same(pretty, 'softmax', {}, {}, chunk);
      expect(r.err).toBeUndefined();
      expect(r.out).toBe(ndjson.out);
    }
    expect(ndjson.out.split('\n')[2]).toBe('[1]');
    // Rows as rows of a 2-D tensor give the same numbers.
    const table = await run('[[1,2,3]]\n[[-1,0.5]]\n', 'softmax', {}, {});
    expect(ndjson.out.split('\n').slice(0, 2)).toEqual(table.out.split('\n').slice(0, 2).map((l) => l.slice(1, -1)));
    const lone = await same('[\n  1,\n  2\n]\n', 'softmax');
    expect(lone.err).toMatch(/^softmax: Cannot apply softmax to a tensor that is 1D/);
    expect(lone.out).toBe('');
    // After a 2-D document, and before one: not alone either.
    expect((await same('[[0,0]]\n[1,1]\n', 'softmax')).out).toBe('[[0.5,0.5]]\n[0.5,0.5]\n');
    expect((await same('[1,1] [[0,0]]', 'softmax')).out).toBe('[0.5,0.5]\n[[0.5,0.5]]\n');
    // axis 1 is the row's own axis; glu halves each row (the general reader's way, in both lanes).
    expect((await same('[0,0]\n[2,2]\n', 'softmax', {}, { axis: 1 })).out).toBe('[0.5,0.5]\n[0.5,0.5]\n');
    expect((await same('[1,0]\n[2,0]\n', 'glu')).out).toBe('[0.5]\n[1]\n');
    // A lone 1-D document under an axis-wise step that takes 1-D keeps going along its one axis.
    expect((await same('[0,0]', 'log_softmax')).out).toBe(`[${-Math.LN2},${-Math.LN2}]\n`);
    // Down axis 0 a document stays a 1-D tensor (no rows to go down): softmax refuses each.
    expect((await same('[1,2]\n[3,4]\n', 'softmax', {}, { axis: 0 })).err).toMatch(/Cannot apply softmax to a tensor that is 1D/);
    // Element-wise steps hold nothing: the same either way.
    expect((await same('[1,-2]\n[-3]', 'relu', {}, {}, 1)).out).toBe('[1,0]\n[0]\n');
  });

  test('a number token keeps nothing of its spelling once transformed; strings it keeps are byte for byte', async () => {
    const r = await run('[[1.0,"\\u0041",-1e2]]', 'relu', { onInvalid: 'keep' }, {});
    expect(r.out).toBe('[[1,"\\u0041",0]]\n');
  });

  test('values the activation does not touch keep their text: the other keys of an object', async () => {
    const r = await run('{"id":11111111112222222222,"x":[1,-2],"s":"\\u0041","f":1.0,"o":{"a" : [1e2]}}', 'relu', { columns: parseColumns('x') }, {});
    expect(r.out).toBe('{"id":11111111112222222222,"x":[1,0],"s":"\\u0041","f":1.0,"o":{"a":[1e2]}}\n');
  });

  test('and the untouched values of records, in a JSON array and in NDJSON lines', async () => {
    const recs = '[{"id":11111111112222222222,"x":-1,"f":1.0},{"id":2,"x":3,"f":"\\u0041"}]';
    const js = await same(recs, 'relu', { columns: parseColumns('x') });
    expect(js.out).toBe('[{"id":11111111112222222222,"x":0,"f":1.0},{"id":2,"x":3,"f":"\\u0041"}]\n');
    const nd = await same('{"id":11111111112222222222,"x":-1,"f":1.0}\n{"id":2,"x":3,"f":"\\u0041"}\n', 'relu', { from: 'ndjson', columns: parseColumns('x') });
    expect(nd.out).toBe('{"id":11111111112222222222,"x":0,"f":1.0}\n{"id":2,"x":3,"f":"\\u0041"}\n');
  });

  test('records written as CSV, TSV and text keep the text of what is not touched; strings are written decoded', async () => {
    const recs = '[{"id":11111111112222222222,"x":-1,"f":1.0,"e":1e2,"s":"a\\u0041","o":{"b" : [1.50]}},{"id":2,"x":3,"f":-0.0,"e":2E-3,"s":"b","o":null}]';
    const csv = await same(recs, 'relu', { to: 'csv', columns: parseColumns('x') });
    expect(csv.out).toBe('id,x,f,e,s,o\n11111111112222222222,0,1.0,1e2,aA,"{""b"":[1.50]}"\n2,3,-0.0,2E-3,b,null\n');
    const lines = '{"id":11111111112222222222,"x":-1,"f":1.0}\n{"id":2,"x":3,"f":1e2}\n';
    expect((await same(lines, 'relu', { from: 'ndjson', to: 'tsv', columns: parseColumns('x') })).out).toBe('id\tx\tf\n11111111112222222222\t0\t1.0\n2\t3\t1e2\n');
    expect((await same(lines, 'relu', { from: 'ndjson', to: 'text', columns: parseColumns('x') })).out).toBe('11111111112222222222 0 1.0\n2 3 1e2\n');
    // One object of plain values is one record, as an NDJSON line is.
    expect((await same('{"id":11111111112222222222,"x":-2,"f":1.0}', 'relu', { to: 'csv', columns: parseColumns('x') })).out).toBe('id,x,f\n11111111112222222222,0,1.0\n');
  });

  test('NDJSON arrays keep the text of the elements a selection leaves alone, in every output', async () => {
    const lines = '[11111111112222222222, -1, 1.0, {"a" : [1e2, "x,]"]}]\n[1,-1,1e2,[2.50]]\n';
    const nd = await same(lines, 'relu', { from: 'ndjson', columns: parseColumns('2') });
    expect(nd.out).toBe('[11111111112222222222,0,1.0,{"a":[1e2,"x,]"]}]\n[1,0,1e2,[2.50]]\n');
    const csv = await same(lines, 'relu', { from: 'ndjson', to: 'csv', columns: parseColumns('2') });
    expect(csv.out).toBe('11111111112222222222,0,1.0,"{""a"":[1e2,""x,]""]}"\n1,0,1e2,[2.50]\n');
  });

  test('CSV cells that are JSON numbers are written as numbers in JSON and NDJSON, other text as strings', async () => {
    const csv = 'id,x,tag\n101,-1,007\n11111111112222222222,2,1.\n';
    const nd = await run(csv, 'relu', { from: 'csv', to: 'ndjson', columns: parseColumns('x') }, {});
    expect(nd.out).toBe('{"id":101,"x":0,"tag":"007"}\n{"id":11111111112222222222,"x":2,"tag":"1."}\n');
    const js = await run(csv, 'relu', { from: 'csv', to: 'json', columns: parseColumns('x') }, {});
    expect(js.out).toBe('[{"id":101,"x":0,"tag":"007"},{"id":11111111112222222222,"x":2,"tag":"1."}]\n');
  });

  test('nesting deeper than the limit is an error with its place, not a stack overflow', async () => {
    const deep = '['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1);
    const r = await run(deep, 'relu', {}, {});
    expect(r.err).toBe(`doc.json:1:${MAX_DEPTH + 1}: invalid JSON: nested deeper than ${MAX_DEPTH} arrays and objects`);
    const ok = '['.repeat(MAX_DEPTH - 1) + '1' + ']'.repeat(MAX_DEPTH - 1);
    expect((await run(ok, 'relu', {}, {})).out).toBe(ok + '\n');
  });

  test('places count UTF-16 units after a BOM, as in the decoded text', async () => {
    const r = await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"é😀":\n [1, x]}')]), 'relu', {}, {});
    expect(r.err).toBe("doc.json:2:6: invalid JSON: unexpected character 'x'");
  });
});

describe('JsonScanner', () => {
  const nothing: JsonEvents = { open() {}, close() {}, key() {}, number() {}, string() {}, literal() {}, docStart() {}, docEnd() {} };
  const scan = (text: string): JsonSyntaxError | number => {
    const s = new JsonScanner(nothing);
    try {
      s.run(Buffer.from(text), 0, Buffer.byteLength(text), true);
      return s.docs;
    } catch (e) {
      if (e instanceof JsonSyntaxError) return e;
      throw e;
    }
  };

  test('accepts one document exactly when JSON.parse does, and fails where JSON.parse says', () => {
    const alphabet = fc.constantFrom(...'[]{},:"\\ 01-.eE+9tfnrulasu\n\t'.split(''), '1.5', 'true', 'null', '"a"', '\\u00e9', '\u0001');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 14 }).map((a) => a.join('')), (text) => {
        let parsed = true;
        let pos: number | undefined;
        try {
          JSON.parse(text);
        } catch (e) {
          parsed = false;
          const m = /at position (\d+)/.exec((e as Error).message);
          if (m) pos = Number(m[1]);
        }
        const r = scan(text);
        if (parsed) expect(r).toBe(1);
        else if (typeof r === 'number') {
          // Not one document for JSON.parse, but a sequence of them (or none) for jq and the lane.
          expect(r === 0 || /non-whitespace character after JSON|end of JSON input|Unexpected number/.test(String(e(text)))).toBe(true);
        } else if (pos !== undefined && !/after JSON/.test(String(e(text)))) {
          const before = text.slice(0, pos);
          const line = before.split('\n').length;
          const col = pos - (before.lastIndexOf('\n') + 1) + 1;
          expect([r.line, r.col]).toEqual([line, col]);
        }
      }),
      { numRuns: 3000 },
    );
    function e(text: string): unknown {
      try {
        JSON.parse(text);
      } catch (x) {
        return (x as Error).message;
      }
      return undefined;
    }
  });
});

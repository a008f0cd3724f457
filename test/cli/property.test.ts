/**
 * Property-based tests (fast-check) of the whole command, in process: generated inputs (random
 * bytes, near-CSV, near-JSON) and options thrown at main(). Whatever comes in, activ answers with
 * exit 0, 1 or 2; every message is one line starting 'activ: '; never an internal error or a stack
 * trace; and with exit 0 and --on-invalid fail, CSV and text keep one output line per input line.
 */
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], input: Uint8Array): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const stdin = Readable.from([Buffer.from(input)]);
  const code = await main(args, { stdout, stderr, stdin });
  return { code, out, err };
}

function wellBehaved(r: Run): void {
  expect([0, 1, 2]).toContain(r.code);
  expect(r.err).not.toMatch(/internal error|\n\s+at |Error:/);
  for (const line of r.err.split('\n').filter(Boolean)) expect(line.startsWith('activ: ') || line.startsWith("Run 'activ --help'")).toBe(true);
}

const ACTIVATIONS = ['relu', 'sigmoid', 'softmax', 'gelu', 'glu', 'log_softmax', 'prelu', 'elu'];
const cell = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.integer().map(String),
  fc.constantFrom('', 'x', 'NaN', '-Infinity', '1e999', '0x10', ' 1', '"1"', '"a,b"', '"q""q"', '1"', 'NA', '-0', '.5', '5.'),
);
const row = fc.array(cell, { minLength: 1, maxLength: 5 });
const eol = fc.constantFrom('\n', '\r\n');
const csv = fc.tuple(fc.array(row, { minLength: 1, maxLength: 12 }), eol, fc.constantFrom(',', '\t', ' ')).map(([rows, e, sep]) => rows.map((r) => r.join(sep)).join(e) + e);
const json = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.array(fc.array(fc.double(), { minLength: 1, maxLength: 4 }), { maxLength: 5 }).map((v) => JSON.stringify(v)),
  fc.array(fc.record({ a: fc.double(), b: fc.oneof(fc.string(), fc.double()) }), { maxLength: 4 }).map((v) => JSON.stringify(v)),
);
const nearJson = fc.tuple(json, fc.nat(), fc.constantFrom('', ',', ']', '{', '"', 'x', '\n')).map(([t, at, junk]) => {
  const i = t.length ? at % t.length : 0;
  return t.slice(0, i) + junk + t.slice(i);
});
const options = fc.record(
  {
    activation: fc.constantFrom(...ACTIVATIONS),
    from: fc.constantFrom(undefined, 'csv', 'tsv', 'text', 'json', 'ndjson'),
    to: fc.constantFrom(undefined, 'csv', 'tsv', 'text', 'json', 'ndjson'),
    onInvalid: fc.constantFrom(undefined, 'fail', 'skip', 'keep', 'null'),
    axis: fc.constantFrom(undefined, '0', '-1', '1', '5'),
    header: fc.constantFrom(undefined, '--header', '--no-header'),
    columns: fc.constantFrom(undefined, '1', '2-', '!1', 'a', '9'),
  },
  { requiredKeys: ['activation'] },
);

function argv(o: { activation: string; from?: string; to?: string; onInvalid?: string; axis?: string; header?: string; columns?: string }): string[] {
  const a = [o.activation, '-q'];
  if (o.from) a.push('--from', o.from);
  if (o.to) a.push('--to', o.to);
  if (o.onInvalid) a.push('--on-invalid', o.onInvalid);
  if (o.axis && o.activation !== 'relu' && o.activation !== 'sigmoid' && o.activation !== 'gelu' && o.activation !== 'elu' && o.activation !== 'prelu') a.push('--axis', o.axis);
  if (o.header) a.push(o.header);
  if (o.columns) a.push('-c', o.columns);
  if (o.activation === 'prelu') a.push('--alpha', '0.1');
  return a;
}

describe('whatever comes in, activ answers in one line with 0, 1 or 2', { timeout: 300_000 }, () => {
  test('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), options, async (bytes, o) => wellBehaved(await run(argv(o), bytes))),
      { numRuns: 150 },
    );
  });

  test('near-CSV, every option', async () => {
    await fc.assert(
      fc.asyncProperty(csv, options, async (text, o) => wellBehaved(await run(argv(o), Buffer.from(text)))),
      { numRuns: 300 },
    );
  });

  test('near-JSON and NDJSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, nearJson, fc.array(json, { maxLength: 4 }).map((d) => d.join('\n'))), options, async (text, o) =>
        wellBehaved(await run(argv(o), Buffer.from(text))),
      ),
      { numRuns: 300 },
    );
  });

  test('exit 0 with --on-invalid fail: one output line per input line (CSV, text)', async () => {
    await fc.assert(
      fc.asyncProperty(csv, fc.constantFrom('relu', 'sigmoid', 'softmax', 'tanh'), async (text, name) => {
        const from = text.includes('\t') ? 'tsv' : text.includes(',') ? 'csv' : 'text';
        if (from !== 'text' && text.includes('"')) return; // a quoted cell may hold a delimiter or span lines
        const r = await run([name, '-q', '--from', from, '--on-invalid', 'fail'], Buffer.from(text));
        wellBehaved(r);
        if (r.code !== 0) return;
        const lines = (s: string): number => s.split(/\r?\n/).length;
        expect(lines(r.out)).toBe(lines(text));
      }),
      { numRuns: 300 },
    );
  });
});

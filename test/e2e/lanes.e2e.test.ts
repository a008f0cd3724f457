/**
 * The fast lane and the general lane must write the same bytes for every input both accept.
 * Generated inputs go through `bin/activ.js` twice, once with ACTIV_LANE=general, and stdout,
 * stderr and the exit code must agree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { rng } from '../support.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/activ.js');
const dir = mkdtempSync(join(tmpdir(), 'activ-lanes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A numeric cell as people write them: every magnitude, integers, -0, NaN/Infinity spellings. */
function numberCell(r: () => number): string {
  const k = r();
  if (k < 0.3) return String((r() - 0.5) * 20);
  if (k < 0.45) return String(Math.round((r() - 0.5) * 2000));
  if (k < 0.6) {
    u32[0] = (r() * 2 ** 32) >>> 0;
    u32[1] = (r() * 2 ** 32) >>> 0;
    return Number.isFinite(f64[0]) ? String(f64[0]) : '0';
  }
  if (k < 0.7) return (r() * 10 ** (r() * 40 - 20)).toExponential(Math.floor(r() * 17));
  if (k < 0.75) return ['-0', 'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-INF', '1e-320', '5e-324', '1.7976931348623157e308'][Math.floor(r() * 10)];
  if (k < 0.8) return (r() * 100).toFixed(Math.floor(r() * 8));
  return String(r());
}

interface Shape {
  sep: string;
  header: boolean;
  crlf: boolean;
  textColumn: boolean;
  /** Per mille of lines that hold something the fast lane hands over: an empty cell, a quote, a bad word, a blank line. */
  odd: number;
}

function table(seed: number, rows: number, s: Shape): string {
  const r = rng(seed);
  const cols = 1 + Math.floor(r() * 7);
  const eol = s.crlf ? '\r\n' : '\n';
  const lines: string[] = [];
  const label = (i: number): string => `id-${i}`;
  if (s.header) lines.push(Array.from({ length: cols + (s.textColumn ? 1 : 0) }, (_, j) => `c${j}`).join(s.sep));
  for (let i = 0; i < rows; i++) {
    const cells = Array.from({ length: cols }, () => numberCell(r));
    if (s.textColumn) cells.splice(Math.floor(cols / 2), 0, label(i));
    if (r() * 1000 < s.odd) {
      const what = Math.floor(r() * 4);
      if (what === 0) cells[cells.length - 1] = '';
      else if (what === 1 && s.sep !== ' ') cells[0] = `"${cells[0]}"`;
      else if (what === 2) cells[cells.length - 1] = 'abc';
      else {
        lines.push('');
        continue;
      }
    }
    lines.push(cells.join(s.sep));
  }
  return lines.join(eol) + (r() < 0.8 ? eol : '');
}

/** general: csv-parse alone; ts: the TypeScript byte lane (ACTIV_WASM=0); wasm: the wasm byte lane from the first byte. */
type Lane = 'general' | 'ts' | 'wasm';
const LANE_ENV: Record<Lane, Record<string, string>> = {
  general: { ACTIV_LANE: 'general' },
  ts: { ACTIV_LANE: 'auto', ACTIV_WASM: '0' },
  wasm: { ACTIV_LANE: 'auto', ACTIV_WASM: 'always' },
};

function run(args: string[], lane: Lane): { code: number | null; out: string; err: string } {
  const p = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...LANE_ENV[lane] },
    encoding: 'latin1',
    maxBuffer: 1 << 28,
  });
  return { code: p.status, out: p.stdout, err: p.stderr };
}

/** The three lanes agree: the TypeScript and the wasm byte lanes each against the general lane. */
function bothLanes(file: string, args: string[]): void {
  const general = run([...args, file], 'general');
  for (const lane of ['ts', 'wasm'] as const) {
    const fast = run([...args, file], lane);
    expect(fast.err, lane).toBe(general.err);
    expect(fast.code, lane).toBe(general.code);
    expect(fast.out === general.out, `${lane}: stdout differs for ${args.join(' ')} ${file}`).toBe(true);
  }
}

const SHAPES: [string, Shape][] = [
  ['csv, header, passthrough column', { sep: ',', header: true, crlf: false, textColumn: true, odd: 0 }],
  ['csv, no header, CRLF', { sep: ',', header: false, crlf: true, textColumn: false, odd: 0 }],
  ['tsv, header, CRLF, passthrough', { sep: '\t', header: true, crlf: true, textColumn: true, odd: 0 }],
  ['text, no header', { sep: ' ', header: false, crlf: false, textColumn: false, odd: 0 }],
  ['csv with odd lines (empty cells, quotes, words, blank lines)', { sep: ',', header: true, crlf: false, textColumn: false, odd: 20 }],
  ['tsv with odd lines', { sep: '\t', header: false, crlf: true, textColumn: true, odd: 20 }],
];
const EXT: Record<string, string> = { ',': 'csv', '\t': 'tsv', ' ': 'txt' };

describe('fast lane = general lane', () => {
  SHAPES.forEach(([name, shape], n) => {
    test(name, () => {
      for (let seed = 1; seed <= 2; seed++) {
        const file = join(dir, `t${n}-${seed}.${EXT[shape.sep]}`);
        writeFileSync(file, table(1000 * n + seed, 400, shape));
        bothLanes(file, ['sigmoid']);
        bothLanes(file, ['relu', '--on-invalid', 'skip']);
        bothLanes(file, ['softmax', '--on-invalid', 'keep']);
        bothLanes(file, ['tanh', '--precision', '5', '--on-invalid', 'null']);
        bothLanes(file, [seed === 1 ? 'log_softmax' : 'sparsemax', '--axis', '0', '--on-invalid', 'skip']);
      }
    });
  });

  test('the first error in the file is the one reported, when a row of another width comes before a bad cell', () => {
    // check's tensor and --axis 0 need rows of equal length; a lane that parsed its whole block
    // before the step saw it named the later bad cell (line 57) instead of the row at line 34
    const lines = Array.from({ length: 60 }, (_, i) => [1, 2, 3, 4, 5].map((c) => ((i * 7 + c) % 11) - 5).join(','));
    lines[33] += ',6';
    lines[56] = '1,2,3, 2,5';
    const file = join(dir, 'misfit-then-bad.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    bothLanes(file, ['softmax', '--axis', '0']);
    bothLanes(file, ['check', 'sigmoid', file]);
    expect(run(['softmax', '--axis', '0', file], 'ts').err).toMatch(/misfit-then-bad\.csv:34: 6 values in a row where line 1 has 5/);
    expect(run(['check', 'sigmoid', file, file], 'ts').err).toMatch(/misfit-then-bad\.csv:34: holds 6 values/);
  });

  test('edge lines: a BOM, a last line ending in a lone CR, a last line without an ending', () => {
    for (const [name, text] of [
      ['bom.csv', '\ufeffa,b\n1,2\n'],
      // no header: the lane starts at the first line, after the BOM (it was copied into the text cell)
      ['bom-text-cell.csv', '\ufeffk1,-1\nk2,3\n'],
      ['bom-number.csv', '\ufeff-1,2\n3,-4\n'],
      ['cr.csv', 'a,b\n1,2\r'],
      ['noeol.tsv', 'a\tb\r\n1\t2'],
    ]) {
      const file = join(dir, name);
      writeFileSync(file, text);
      bothLanes(file, ['relu']);
    }
  });

  test('a BOM before a first line of data in a file large enough for the worker threads', () => {
    const file = join(dir, 'bom-big.csv');
    writeFileSync(file, '\ufeffk0,-1\n' + 'k1,-2.5\n'.repeat(1_200_000)); // about 10 MB
    bothLanes(file, ['relu']);
    const r = spawnSync(process.execPath, [BIN, 'relu', file], { encoding: 'latin1', maxBuffer: 1 << 26, timeout: 100_000 });
    expect(r.stdout.slice(0, 10)).toBe('k0,0\nk1,0\n');
  }, 120_000);

  test('a file large enough for the worker threads, with a bad line far into it', () => {
    const file = join(dir, 'big.csv');
    const rows: string[] = ['a,b,c,d'];
    for (let i = 0; i < 220_000; i++) rows.push(`${i * 0.37 - 4e4},${-i / 7},${(i % 101) / 13},${i}`);
    rows[150_000] = '1,2,x,4';
    writeFileSync(file, rows.join('\n') + '\n'); // about 10 MB: over the 8 MiB threshold
    bothLanes(file, ['gelu', '--approximate']);
    bothLanes(file, ['gelu', '--approximate', '--on-invalid', 'skip']);
    bothLanes(file, ['softmax', '--axis', '0', '--on-invalid', 'skip']);
  }, 300_000); // nine runs of a 10 MB file: generous for a loaded machine

  test('a large file that then leaves the byte lane exits with its output: the workers started for it on opening are never taken', () => {
    // over PARALLEL_MIN_BYTES: opening it starts spare workers (src/io/fastlane/pool.ts); TSV output is the general lane's
    const file = join(dir, 'spare.csv');
    const row = '0.5,-1.25,3\n';
    const rows = Math.ceil((9 << 20) / row.length);
    writeFileSync(file, 'a,b,c\n' + row.repeat(rows));
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, 'relu', '--to', 'tsv', file], { encoding: 'latin1', env: { ...process.env, ACTIV_THREADS: '2' }, maxBuffer: 1 << 26, timeout: 100_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('a\tb\tc');
    expect(lines[1]).toBe('0.5\t0\t3');
    expect(lines.length).toBe(rows + 2);
    expect(Date.now() - started).toBeLessThan(100_000);
  }, 120_000);
});

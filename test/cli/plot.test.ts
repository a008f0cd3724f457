// activ plot in-process: what a terminal gets (width, colour, NO_COLOR), describe's chart, and
// the flags turned into a plan (ranges, formats).
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { defaultRange, parseRange, terminalOf } from '../../src/cli/plot.js';
import { thrown } from '../support.js';
import { runMain, type MainRun } from './in-process.js';

type FakeTty = PassThrough & { isTTY?: boolean; columns?: number; hasColors?: () => boolean };

function run(argv: string[], tty: { columns: number; colours: boolean } | undefined): Promise<MainRun> {
  const stdout = new PassThrough() as FakeTty;
  if (tty) {
    stdout.isTTY = true;
    stdout.columns = tty.columns;
    stdout.hasColors = () => tty.colours;
  }
  return runMain(argv, { stdout, stdin: '' });
}

const width = (text: string) => Math.max(...text.replace(/\x1b\[\d+m/g, '').split('\n').map((l) => [...l].length));

describe('activ plot on a terminal', () => {
  test("fits the terminal's width; colour on a colour terminal", async () => {
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const r = await run(['plot', 'gelu,silu'], { columns: 57, colours: true });
      expect(r.code).toBe(0);
      expect(width(r.out)).toBeLessThanOrEqual(57);
      expect(width(r.out)).toBeGreaterThan(50);
      expect(r.out).toContain('\x1b[34m');
      expect(r.out).toContain('\x1b[31m');
      const mono = await run(['plot', 'gelu,silu'], { columns: 57, colours: false });
      expect(mono.out).not.toContain('\x1b');
      // the same frame; only colour and the grey zero lines differ
      const frame = (t: string) => t.replace(/\x1b\[\d+m/g, '').split('\n').map((l) => l.slice(0, 3));
      expect(frame(mono.out)).toEqual(frame(r.out));
    } finally {
      if (saved !== undefined) process.env.NO_COLOR = saved;
    }
  });
  test('NO_COLOR (not empty) turns colour off; a pipe is 80 columns without colour', () => {
    const tty = { isTTY: true, columns: 120, hasColors: () => true } as unknown as FakeTty;
    expect(terminalOf(tty, {})).toEqual({ columns: 120, colour: true });
    expect(terminalOf(tty, { NO_COLOR: '1' })).toEqual({ columns: 120, colour: false });
    expect(terminalOf(tty, { NO_COLOR: '' })).toEqual({ columns: 120, colour: true });
    expect(terminalOf(new PassThrough(), {})).toEqual({ columns: 80, colour: false });
  });
  test('describe on a terminal ends with the curve; with the call form, of those parameters', async () => {
    const r = await run(['describe', 'relu(max_value=2)'], { columns: 100, colours: false });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Parameters:');
    const chart = r.out.slice(r.out.indexOf('Example:'));
    expect(chart).toMatch(/[\u2801-\u28ff]/);
    expect(chart).toMatch(/^ *2┤/m);
    expect(chart.trimEnd().split('\n').pop()).toBe('⠒⠒⠒ relu(max_value=2)');
    const axis = await run(['describe', 'softmax'], { columns: 100, colours: false });
    expect(axis.out).not.toMatch(/[\u2801-\u28ff]/); // axis-wise: no curve
  });
});

describe('plan', () => {
  test('ranges', () => {
    expect(parseRange('-6:6', '--range')).toEqual({ lo: -6, hi: 6 });
    expect(parseRange(' -1e-3 : 2.5 ', '--range')).toEqual({ lo: -0.001, hi: 2.5 });
    for (const bad of ['6', '1:1', '2:1', 'a:b', '-inf:0', '1:2:3']) expect(thrown(() => parseRange(bad, '--range')).kind).toBe('usage');
  });
  test('the default range holds every kink with room', () => {
    const kinked = (kinks: number[]) => [{ label: '', kernel: { kind: 'elementwise' as const, map() {} }, kinks }];
    expect(defaultRange(kinked([]))).toEqual({ lo: -5, hi: 5 });
    expect(defaultRange(kinked([0, 6]))).toEqual({ lo: -7, hi: 7 });
    expect(defaultRange(kinked([-9.5]))).toEqual({ lo: -11, hi: 11 });
  });
});

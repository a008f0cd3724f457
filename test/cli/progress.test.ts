import { describe, expect, test } from 'vitest';
import { bytesText, ProgressLine } from '../../src/cli/progress.js';

function line(color = false): { p: ProgressLine; out: string[]; clock: { t: number } } {
  const out: string[] = [];
  const clock = { t: 0 };
  const p = new ProgressLine({ write: (s) => out.push(s), now: () => clock.t, color, delay: 1000 });
  return { p, out, clock };
}

const MiB = 1 << 20;

describe('ProgressLine', () => {
  test('nothing in the first second; then bytes, share, rate and ETA', () => {
    const { p, out, clock } = line();
    clock.t = 500;
    p.update(10 * MiB, 100 * MiB);
    expect(out).toEqual([]);
    expect(p.text()).toBeUndefined();
    clock.t = 2500; // 40 MiB more in 2 s since the first report: 20 MiB/s, 50 MiB to go
    p.update(50 * MiB, 100 * MiB);
    expect(out).toEqual(['\ractiv: 50.0 MiB of 100.0 MiB (50%), 20.0 MiB/s, ETA 0:03\x1b[K']);
  });
  test('a new pass when reading starts again at the beginning; redrawn at most every 200 ms', () => {
    const { p, out, clock } = line();
    clock.t = 0;
    p.update(0, 100 * MiB);
    clock.t = 1000;
    p.update(100 * MiB, 100 * MiB);
    clock.t = 1100;
    p.update(1 * MiB, 100 * MiB);
    expect(out.length).toBe(1); // 100 ms after the last draw
    clock.t = 2100;
    p.update(21 * MiB, 100 * MiB);
    expect(out[1]).toBe('\ractiv: 21.0 MiB of 100.0 MiB (21%), 20.0 MiB/s, ETA 0:04, pass 2\x1b[K');
  });
  test('a pipe (size unknown): bytes and rate, no ETA; dim unless NO_COLOR; clear only once drawn', () => {
    const { p, out, clock } = line(true);
    p.clear();
    expect(out).toEqual([]);
    clock.t = 0;
    p.update(0, 0);
    clock.t = 2000;
    p.update(3 * MiB, 0);
    expect(out).toEqual(['\r\x1b[2mactiv: 3.0 MiB, 1.5 MiB/s\x1b[0m\x1b[K']);
    p.clear();
    p.clear();
    expect(out.slice(1)).toEqual(['\r\x1b[K']);
  });
  test('bytesText', () => {
    expect(bytesText(0)).toBe('0 B');
    expect(bytesText(1023)).toBe('1023 B');
    expect(bytesText(1536)).toBe('1.5 KiB');
    expect(bytesText(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});

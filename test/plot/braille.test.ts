// The braille renderer: dots to characters exactly, lines, patterns, and the chart's frame.
import { describe, expect, test } from 'vitest';
import { brailleChart, thinRun } from '../../src/plot/braille.js';
import { AXIS, DotCanvas } from '../../src/plot/dots.js';
import type { Samples } from '../../src/plot/sample.js';

const solid = (ink = 0) => ({ ink, pattern: '1', step: 0 });

describe('DotCanvas', () => {
  test('each dot of a cell is its braille bit', () => {
    const c = new DotCanvas(4, 1);
    c.dot(0, 0, 0); // cell 0: dot 1
    c.dot(1, 3, 0); // cell 0: dot 8
    for (let x = 2; x < 4; x++) for (let y = 0; y < 4; y++) c.dot(x, y, 0); // cell 1: all eight
    c.dot(4, 3, 0); // cell 2: dot 7
    c.dot(8, 0, 0); // outside: ignored
    c.dot(-1, 0, 0);
    expect(c.rows()).toEqual(['\u2881\u28ff\u2840 ']);
  });
  test('a diagonal line, exact characters', () => {
    const c = new DotCanvas(2, 1);
    c.line({ x0: 0, y0: 0, x1: 3, y1: 3 }, solid());
    expect(c.rows()).toEqual(['\u2811\u2884']); // dots (0,0)(1,1) | (2,2)(3,3)
  });
  test('a steep line over two rows of cells', () => {
    const c = new DotCanvas(1, 2);
    c.line({ x0: 0, y0: 7, x1: 0, y1: 0 }, solid());
    expect(c.rows()).toEqual(['\u2847', '\u2847']);
  });
  test('a pattern runs on across the segments of one polyline, without counting shared dots twice', () => {
    const c = new DotCanvas(4, 1);
    const pen = { ink: 0, pattern: '10', step: 0 };
    c.line({ x0: 0, y0: 0, x1: 3, y1: 0 }, pen);
    c.line({ x0: 3, y0: 0, x1: 3, y1: 0 }, pen); // a segment inside one dot adds nothing
    c.line({ x0: 3, y0: 0, x1: 7, y1: 0 }, pen);
    expect(pen.step).toBe(8);
    expect(c.rows()).toEqual(['\u2801\u2801\u2801\u2801']); // dots at x = 0, 2, 4, 6
  });
  test('colour runs: a curve replaces a zero line in its cells, cells of one ink form one run', () => {
    const c = new DotCanvas(3, 1);
    c.line({ x0: 0, y0: 0, x1: 5, y1: 0 }, { ink: AXIS, pattern: '1', step: 0 });
    c.dot(5, 3, 1);
    c.dot(0, 3, 0);
    const painted = c.rows((text, ink) => `<${ink}>${text}</>`);
    expect(painted).toEqual(['<0>\u2840</><-2>\u2809</><1>\u2880</>']);
    // a zero line drawn afterwards adds dots only to the cell no curve touches
    c.line({ x0: 0, y0: 1, x1: 5, y1: 1 }, { ink: AXIS, pattern: '1', step: 0 });
    expect(c.rows((text, ink) => `<${ink}>${text}</>`)).toEqual(['<0>\u2840</><-2>\u281b</><1>\u2880</>']);
  });
});

function linear(lo: number, hi: number, n: number): Samples {
  const x = Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  return { x, curves: [{ label: 'linear', y: x.slice() }] };
}

describe('brailleChart', () => {
  test('a known small chart, character for character', () => {
    // y = x on [0, 3] in a [0, 3] frame: a 10 x 3 cell canvas (20 x 12 dots), one dot per dot
    // column from (0, 11) up to (19, 0); ticks every 2 (about 2 intervals over 3 rows).
    const chart = brailleChart({ samples: linear(0, 3, 200), x: { lo: 0, hi: 3 }, y: { lo: 0, hi: 3 }, columns: 13, rows: 6, colour: false });
    expect(chart.split('\n')).toEqual([' │      ⢀⡠⠒⠉', '2┤   ⣀⠤⠊⠁', '0┤⡠⠔⠉', ' └┬─────┬───', '  0     2', '⠒⠒⠒ linear', '']);
  });
  test('staircase corners are cut, so a rounded line stays one dot thick', () => {
    const steps: [number, number][] = [[0, 5], [1, 5], [1, 4], [2, 4], [2, 3], [2, 3], [3, 3], [5, 1]];
    expect(thinRun(steps)).toEqual([[0, 5], [1, 4], [2, 3], [3, 3], [5, 1]]);
  });
  test('fits the width, labels both axes, legends every curve, no colour unless asked', () => {
    const s = linear(-5, 5, 400);
    const two: Samples = { x: s.x, curves: [s.curves[0], { label: 'minus', y: s.x.map((v) => -v) }] };
    for (const columns of [40, 80, 123]) {
      const chart = brailleChart({ samples: two, x: { lo: -5, hi: 5 }, columns, rows: 16, colour: false });
      const lines = chart.trimEnd().split('\n');
      expect(lines.length).toBe(16);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
      expect(chart).not.toContain('\x1b');
      expect(lines[lines.length - 1]).toBe('⠒⠒⠒ linear  ⠒⠂  minus'); // solid, then dashed
      expect(lines[lines.length - 2]).toMatch(/^ +-\d.* \d$/); // x labels from negative to positive
      expect(chart).toMatch(/^ *-\d+┤/m);
      expect(chart).toMatch(/^ *\d+┤/m);
    }
  });
  test('colour: each curve in its ANSI colour, zero lines in grey', () => {
    const chart = brailleChart({ samples: linear(-1, 1, 50), x: { lo: -1, hi: 1 }, columns: 40, rows: 10, colour: true });
    expect(chart).toContain('\x1b[34m');
    expect(chart).toContain('\x1b[90m');
  });
  test('non-finite values break the line instead of drawing to infinity', () => {
    const x = Float64Array.from([0, 1, 2, 3]);
    const chart = brailleChart({ samples: { x, curves: [{ label: 'gap', y: Float64Array.from([0, NaN, Infinity, 3]) }] }, x: { lo: 0, hi: 3 }, y: { lo: 0, hi: 3 }, columns: 13, rows: 6, colour: false });
    const dots = [...chart].filter((ch) => ch >= '\u2801' && ch <= '\u28ff' && ch !== '⠒').length;
    expect(dots).toBe(2); // the two finite points, alone in their corners
  });
});

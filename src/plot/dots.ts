/**
 * A grid of Unicode braille cells, each 2 dots wide and 4 high, that lines are drawn on. Every
 * cell remembers which ink last touched it (a curve's index, or AXIS), so a coloured rendering
 * can paint each cell in one colour; zero-line dots give way to curves.
 */

/** The ink of zero lines; curves use their index (0, 1, ...). */
export const AXIS = -2;
const NONE = -1;

// Bit of the dot at (column, row) inside a cell: the braille block's numbering, U+2800 + bits.
const DOT_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

/** Which steps along a line are inked: '1' on, '0' off, repeating (solid, dotted, dashed, ...). */
export type Pattern = string;

/** What draws: an ink, a dot pattern, and how many dots along the current polyline it has stepped. */
export interface Pen {
  readonly ink: number;
  readonly pattern: Pattern;
  step: number;
}

export interface Segment {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export class DotCanvas {
  readonly bits: Uint8Array;
  readonly ink: Int8Array;
  /** Size in dots. */
  readonly dotsWide: number;
  readonly dotsHigh: number;

  constructor(
    readonly cellsWide: number,
    readonly cellsHigh: number,
  ) {
    this.bits = new Uint8Array(cellsWide * cellsHigh);
    this.ink = new Int8Array(cellsWide * cellsHigh).fill(NONE);
    this.dotsWide = cellsWide * 2;
    this.dotsHigh = cellsHigh * 4;
  }

  /** Set dot (x, y), y counted down from the top; dots outside the canvas are ignored. */
  dot(x: number, y: number, ink: number): void {
    if (x < 0 || y < 0 || x >= this.dotsWide || y >= this.dotsHigh) return;
    const cell = (y >> 2) * this.cellsWide + (x >> 1);
    // A cell is all curve or all zero line: zero-line dots painted in a curve's colour would
    // read as part of the curve. Curves win.
    if (ink === AXIS && this.ink[cell] >= 0) return;
    if (ink !== AXIS && this.ink[cell] === AXIS) this.bits[cell] = 0;
    this.bits[cell] |= DOT_BITS[x & 1][y & 3];
    this.ink[cell] = ink;
  }

  /**
   * A straight line between two dot positions (rounded), Bresenham's. A pen that has drawn
   * before continues a polyline: the segment's first dot is its last one, so it is not counted
   * again, and the pattern runs on across segments.
   */
  line(s: Segment, pen: Pen): void {
    let x = Math.round(s.x0);
    let y = Math.round(s.y0);
    const x1 = Math.round(s.x1);
    const y1 = Math.round(s.y1);
    const dx = Math.abs(x1 - x);
    const dy = -Math.abs(y1 - y);
    const sx = x < x1 ? 1 : -1;
    const sy = y < y1 ? 1 : -1;
    let err = dx + dy;
    let first = pen.step > 0;
    for (;;) {
      if (!first) {
        if (pen.pattern[pen.step % pen.pattern.length] === '1') this.dot(x, y, pen.ink);
        pen.step++;
      }
      first = false;
      if (x === x1 && y === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** One character per cell, row by row; `paint` wraps a run of cells of one ink (colour). */
  rows(paint: (text: string, ink: number) => string = (t) => t): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.cellsHigh; r++) {
      let line = '';
      let run = '';
      let runInk = NONE;
      for (let c = 0; c < this.cellsWide; c++) {
        const i = r * this.cellsWide + c;
        const ink = this.bits[i] === 0 ? NONE : this.ink[i];
        const ch = this.bits[i] === 0 ? ' ' : String.fromCharCode(0x2800 + this.bits[i]);
        if (ink !== runInk && run !== '') {
          line += runInk === NONE ? run : paint(run, runInk);
          run = '';
        }
        runInk = ink;
        run += ch;
      }
      line += runInk === NONE || run === '' ? run : paint(run, runInk);
      out.push(line);
    }
    return out;
  }
}

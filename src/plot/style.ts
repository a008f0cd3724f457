/**
 * How curve number i looks, the same in every rendering: a colour (Okabe and Ito's palette,
 * told apart by colour-blind readers too; the nearest ANSI colour on a terminal) and a dash
 * style (SVG dash array, braille dot pattern), so curves differ even in black and white.
 */

interface CurveStyle {
  /** SVG stroke colour. */
  readonly hex: string;
  /** ANSI SGR foreground code. */
  readonly ansi: number;
  /** SVG stroke-dasharray, '' for solid. */
  readonly dash: string;
  /** Braille dot pattern along the line (see dots.ts). */
  readonly dots: string;
}

const COLOURS: readonly { hex: string; ansi: number }[] = [
  { hex: '#0072B2', ansi: 34 }, // blue
  { hex: '#D55E00', ansi: 31 }, // vermillion
  { hex: '#009E73', ansi: 32 }, // bluish green
  { hex: '#CC79A7', ansi: 35 }, // reddish purple
  { hex: '#E69F00', ansi: 33 }, // orange
  { hex: '#56B4E9', ansi: 36 }, // sky blue
];

const DASHES: readonly { dash: string; dots: string }[] = [
  { dash: '', dots: '1' },
  { dash: '8 4', dots: '111000' },
  { dash: '2 3', dots: '1000' },
  { dash: '10 3 2 3', dots: '1111000100' },
];

export function curveStyle(i: number): CurveStyle {
  const c = COLOURS[i % COLOURS.length];
  const d = DASHES[i % DASHES.length];
  return { hex: c.hex, ansi: c.ansi, dash: d.dash, dots: d.dots };
}

/** ANSI grey for zero lines. */
export const AXIS_ANSI = 90;

// Reading back an SVG written by activ plot: the frame, the data ranges, the polylines and the
// legend's labels, for the unit test and the Chromium end-to-end test.
import { XMLParser } from 'fast-xml-parser';

type Node = Record<string, unknown>;

export interface Parsed {
  frame: { left: number; top: number; width: number; height: number };
  x: [number, number];
  y: [number, number];
  polylines: { curve: number; stroke: string; dash?: string; points: [number, number][] }[];
  texts: string[];
}

const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

/** The parts of the SVG a reader needs to map points back to values. */
export function parseSvg(svg: string): Parsed {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg) as { svg: Node };
  const root = doc.svg;
  const groups = list(root.g);
  const frame = list(root.rect).find((r) => r.class === 'frame')!;
  const curves = groups.find((g) => g.class === 'curves')!;
  const labels = groups.find((g) => g.class === 'legend')!;
  const pair = (s: unknown): [number, number] => (s as string).split(' ').map(Number) as [number, number];
  return {
    frame: { left: +frame.x!, top: +frame.y!, width: +frame.width!, height: +frame.height! },
    x: pair(root['data-x-range']),
    y: pair(root['data-y-range']),
    polylines: list(curves.polyline).map((p) => ({
      curve: Number(p['data-curve']),
      stroke: p.stroke as string,
      dash: p['stroke-dasharray'] as string | undefined,
      points: (p.points as string).split(' ').map((xy) => xy.split(',').map(Number) as [number, number]),
    })),
    texts: list(labels.text).map((t) => String(t['#text'] ?? t)),
  };
}


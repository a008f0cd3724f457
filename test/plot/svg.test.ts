// The SVG: well-formed XML, and every polyline point maps back (through the frame and the data
// ranges the SVG states) to the kernel's value at that sample, within the 0.01 px the points keep.
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { curveSources } from '../../src/cli/plot.js';
import * as ew from '../../src/kernels/elementwise.js';
import { sampleCurves } from '../../src/plot/sample.js';
import { escapeXml, svgChart } from '../../src/plot/svg.js';
import { parseSvg } from './svg-read.js';

const svgFor = (names: string, lo: number, hi: number, count = 301) => {
  const samples = sampleCurves(curveSources([names], false), { lo, hi, count });
  return { samples, svg: svgChart({ samples, x: { lo, hi } }) };
};

describe('svgChart', () => {
  test('is well-formed XML with a title, a frame, grid, ticks and a legend', () => {
    const { svg } = svgFor('gelu,silu,mish', -6, 6);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const p = parseSvg(svg);
    expect(p.texts).toEqual(['gelu', 'silu', 'mish']);
    expect(p.frame).toEqual({ left: 64, top: 28, width: 632, height: 374 });
    expect(new Set(p.polylines.map((l) => l.stroke)).size).toBe(3);
    expect(p.polylines.map((l) => l.dash ?? '')).toEqual(['', '8 4', '2 3']);
    expect(svg).toContain('<g class="grid"');
    expect(svg).toMatch(/<text [^>]*text-anchor="middle">-6<\/text>/);
  });
  test('labels are escaped: the SVG stays valid with &, <, quotes in them', () => {
    const x = Float64Array.from([0, 1]);
    const svg = svgChart({ samples: { x, curves: [{ label: `a<b & "c" 'd'`, y: x }] }, x: { lo: 0, hi: 1 }, title: '<&>' });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(parseSvg(svg).texts).toEqual([`a<b & "c" 'd'`]); // read back as written
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });
  test("polyline points map back to the kernels' values: gelu, relu(max_value=6), hard_sigmoid", () => {
    const { samples, svg } = svgFor('gelu,relu(max_value=6),hard_sigmoid', -7, 7);
    const p = parseSvg(svg);
    const exact = [ew.geluExact, (x: number) => ew.relu(x, 0, 6, 0), ew.hardSigmoid];
    const toX = (px: number) => p.x[0] + ((px - p.frame.left) / p.frame.width) * (p.x[1] - p.x[0]);
    const toY = (py: number) => p.y[0] + ((p.frame.top + p.frame.height - py) / p.frame.height) * (p.y[1] - p.y[0]);
    // half of the 0.01 px the points are written to, in data units (plus a hair for the division)
    const tolX = (0.005 / p.frame.width) * (p.x[1] - p.x[0]) * 1.001;
    const tolY = (0.005 / p.frame.height) * (p.y[1] - p.y[0]) * 1.001;
    for (let c = 0; c < 3; c++) {
      const points = p.polylines.filter((l) => l.curve === c).flatMap((l) => l.points);
      expect(points.length).toBe(samples.x.length); // every sample is finite here, none dropped
      points.forEach(([px, py], k) => {
        const x = samples.x[k];
        expect(Math.abs(toX(px) - x)).toBeLessThanOrEqual(tolX);
        expect(Math.abs(toY(py) - exact[c](x))).toBeLessThanOrEqual(tolY);
      });
    }
    // the corners are points of the polyline: relu6's (6, 6) and hard_sigmoid's (2.5, 1)
    const near = (c: number, x: number, y: number) =>
      p.polylines.filter((l) => l.curve === c).some((l) => l.points.some(([px, py]) => Math.abs(toX(px) - x) <= tolX && Math.abs(toY(py) - y) <= tolY));
    expect(near(1, 6, 6)).toBe(true);
    expect(near(2, 2.5, 1)).toBe(true);
    expect(near(2, -2.5, 0)).toBe(true);
  });
  test('the legend sits in a corner no curve crosses, else below the chart', () => {
    const legendBox = (svg: string) => {
      const m = /<g class="legend">\n<rect x="([\d.]+)" y="([\d.]+)"/.exec(svg)!;
      return { x: Number(m[1]), y: Number(m[2]) };
    };
    const x = Float64Array.from([-1, 1]);
    const falling = svgChart({ samples: { x, curves: [{ label: 'falling', y: Float64Array.from([1, -1]) }] }, x: { lo: -1, hi: 1 } });
    // two samples only, both outside every corner box: the segment between them crosses top left
    expect(legendBox(falling).x).toBeGreaterThan(360); // so: top right
    expect(legendBox(falling).y).toBeLessThan(100);
    const rising = svgChart({ samples: { x, curves: [{ label: 'rising', y: Float64Array.from([-1, 1]) }] }, x: { lo: -1, hi: 1 } });
    expect(legendBox(rising)).toEqual({ x: 74, y: 38 }); // top left, inside the frame
    // the flat 5 crosses the top left corner, the rise to 5 the top right, the sigmoid the bottom
    // ones: the legend goes below, and the picture grows to hold it
    const { svg } = svgFor('threshold(threshold=1, default_value=5),sigmoid', -5, 5);
    expect(legendBox(svg)).toEqual({ x: 64, y: 450 });
    expect(svg).toContain('height="502" viewBox="0 0 720 502"');
    expect(XMLValidator.validate(svg)).toBe(true);
  });
  test('non-finite values split a curve into separate polylines', () => {
    const x = Float64Array.from([0, 1, 2, 3, 4]);
    const svg = svgChart({ samples: { x, curves: [{ label: 'gaps', y: Float64Array.from([0, 1, NaN, 3, 4]) }] }, x: { lo: 0, hi: 4 } });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(parseSvg(svg).polylines.map((l) => l.points.length)).toEqual([2, 2]);
  });
});

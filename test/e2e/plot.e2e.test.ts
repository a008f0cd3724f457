/**
 * activ plot end to end: the spawned command's chart, files, points and errors; and the SVG as
 * Chromium draws it (headless, a screenshot), with the curves' pixels where the values say.
 * The Chromium test is skipped, with a note, where /usr/bin/chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, test } from 'vitest';
import { parseSvg } from '../plot/svg-read.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/activ.js');
const CHROMIUM = '/usr/bin/chromium';
const tmp = mkdtempSync(join(tmpdir(), 'activ-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function activ(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('activ plot', { timeout: 60_000 }, () => {
  test('piped: the braille chart without colour, 80 columns, axes and legend', () => {
    const r = activ(['plot', 'gelu']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).not.toContain('\x1b');
    const lines = r.out.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(r.out).toMatch(/[\u2801-\u28ff]/);
    expect(lines[lines.length - 1]).toBe('⠒⠒⠒ gelu');
    expect(lines[lines.length - 3]).toMatch(/^ *└[─┬]+$/);
    expect(lines[lines.length - 2]).toMatch(/^ +-5 .* 5$/);
  });
  test('-o curves.svg: valid SVG, nothing on stdout, no temporary file left', () => {
    const file = join(tmp, 'curves.svg');
    const r = activ(['plot', 'relu(max_value=6),silu,mish', '--range', '-6:6', '-o', file]);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const svg = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(parseSvg(svg).texts).toEqual(['relu(max_value=6)', 'silu', 'mish']);
    expect(parseSvg(svg).x).toEqual([-6, 6]);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
  test('--to csv: the points, with the kinks, shortest round-trip numbers', () => {
    const r = activ(['plot', 'relu6,hard_sigmoid', '--to', 'csv', '--samples', '3', '--range=-7:7']);
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\n');
    expect(rows[0]).toBe('x,relu6,hard_sigmoid');
    expect(rows).toContain('6,6,1');
    expect(rows).toContain('-2.5,0,0');
    expect(rows).toContain('0,0,0.5');
    expect(rows).toContain('6.000000000000001,6,1');
    expect(rows).toContain('-7,0,0');
    expect(rows.length).toBe(1 + 3 + 4 * 3 - 1); // the even points and 4 kinks with their neighbours; 0 is both
  });
  test('--to json, and -o points.json chooses JSON by its extension', () => {
    const file = join(tmp, 'points.json');
    expect(activ(['plot', 'tanh', '--samples', '5', '-o', file]).code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { x: number[]; curves: { label: string; y: number[] }[] };
    expect(doc.x).toEqual([-5, -2.5, 0, 2.5, 5]);
    expect(doc.curves[0].label).toBe('tanh');
    expect(doc.curves[0].y).toEqual(doc.x.map(Math.tanh));
    expect(activ(['plot', 'tanh', '--samples', '5', '--to', 'json']).out).toBe(readFileSync(file, 'utf8'));
  });
  test('--grad: the derivative kernels, with their jumps sampled at the kinks (TensorFlow\'s values there)', () => {
    const r = activ(['plot', 'relu6,sigmoid', '--grad', '--to', 'csv', '--samples', '3', '--range', '-7:7']);
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\n');
    expect(rows[0]).toBe('x,d/dx relu6,d/dx sigmoid');
    const at = (x: string) => rows.find((row) => row.startsWith(x + ','))!.split(',').slice(1).map(Number);
    expect(at('0')).toEqual([0, 0.25]); // Relu6Grad is 0 at 0
    expect(at('5e-324')[0]).toBe(1);
    expect(at('5.999999999999999')[0]).toBe(1);
    expect(at('6')[0]).toBe(0);
    expect(at('-7')[1]).toBeCloseTo(Math.exp(-7) / (1 + Math.exp(-7)) ** 2, 15);
    const chart = activ(['plot', 'sigmoid', '--grad']);
    expect(chart.code).toBe(0);
    expect(chart.out.trimEnd().split('\n').pop()).toBe('⠒⠒⠒ d/dx sigmoid');
    expect(chart.out).toMatch(/^0\.25┤/m);
  });
  test('usage errors: one line, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['plot', 'softmax'], /^activ: activ plot: softmax is axis-wise .* no curve y = f\(x\)/],
      [['plot', 'gelu', '--range', '3:1'], /^activ: --range '3:1': expected lo:hi/],
      [['plot', 'gelu', '-o', join(tmp, 'x.png')], /^activ: -o '.*x\.png': name a \.svg, \.csv, \.json or \.txt file/],
      [['plot'], /^activ: activ plot: name one or more activations/],
      [['plot', 'gelux'], /^activ: unknown activation 'gelux'/],
      [['plot', 'prelu(alpha=[0.1,0.2])'], /one prelu parameter per column has no single curve/],
    ];
    for (const [args, message] of cases) {
      const r = activ(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trimEnd().split('\n').length).toBe(1);
      expect(r.out).toBe('');
    }
  });
  test('an -o that cannot be written: exit 1, one line', () => {
    const r = activ(['plot', 'gelu', '-o', join(tmp, 'no/such/dir/x.svg')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^activ: .*x\.svg.*\n$/);
  });
  test("the README's picture is what fixtures/plots/make.sh's command draws today", () => {
    const script = readFileSync(join(ROOT, 'fixtures/plots/make.sh'), 'utf8');
    expect(script).toContain("node bin/activ.js plot 'relu(max_value=6)',gelu,elu,hard_tanh --range -4:7 -o fixtures/plots/activations.svg");
    const file = join(tmp, 'readme.svg');
    expect(activ(['plot', 'relu(max_value=6),gelu,elu,hard_tanh', '--range', '-4:7', '-o', file]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(ROOT, 'fixtures/plots/activations.svg'), 'utf8'));
  });
  test('--help shows the examples', () => {
    const r = activ(['plot', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain("activ plot 'relu(max_value=6)',silu,mish --range -6:6");
  });
  test('describe: no chart when piped', () => {
    expect(activ(['describe', 'gelu']).out).not.toMatch(/[\u2801-\u28ff]/);
  });
});

/** RGB distance of the pixel at (x, y) to a #rrggbb colour. */
function distance(png: PNG, x: number, y: number, hex: string): number {
  const i = (png.width * y + x) * 4;
  const c = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  return Math.hypot(png.data[i] - c[0], png.data[i + 1] - c[1], png.data[i + 2] - c[2]);
}

function inkNear(png: PNG, at: { x: number; y: number }, hex: string, radius: number): boolean {
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const x = Math.round(at.x) + dx;
      const y = Math.round(at.y) + dy;
      if (x >= 0 && y >= 0 && x < png.width && y < png.height && distance(png, x, y, hex) < 60) return true;
    }
  }
  return false;
}

describe('the SVG in Chromium', { timeout: 120_000 }, () => {
  const present = existsSync(CHROMIUM);
  if (!present) console.log(`note: ${CHROMIUM} is not installed (Debian package chromium): the SVG rendering test is skipped`);
  test.skipIf(!present)('curves are drawn where the values say', () => {
    const svgFile = join(tmp, 'chromium.svg');
    const pngFile = join(tmp, 'chromium.png');
    expect(activ(['plot', 'relu(max_value=6),sigmoid', '--range', '-7:7', '-o', svgFile]).code).toBe(0);
    const profile = mkdtempSync(join(tmpdir(), 'activ-chromium-'));
    try {
      const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--hide-scrollbars', '--force-device-scale-factor=1', '--window-size=720,450', `--user-data-dir=${profile}`, `--screenshot=${pngFile}`];
      const r = spawnSync(CHROMIUM, [...flags, `file://${svgFile}`], { encoding: 'utf8', timeout: 90_000 });
      expect(existsSync(pngFile), `chromium wrote no screenshot: ${r.stderr}`).toBe(true);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    const png = PNG.sync.read(readFileSync(pngFile));
    expect([png.width, png.height]).toEqual([720, 450]);
    const svg = parseSvg(readFileSync(svgFile, 'utf8'));
    const { frame } = svg;
    const at = (x: number, y: number) => ({
      x: frame.left + ((x - svg.x[0]) / (svg.x[1] - svg.x[0])) * frame.width,
      y: frame.top + frame.height - ((y - svg.y[0]) / (svg.y[1] - svg.y[0])) * frame.height,
    });
    const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const curves = [
      { colour: svg.polylines.find((l) => l.curve === 0)!.stroke, f: relu6, xs: [-1, 2, 3.5, 5, 6.5] },
      { colour: svg.polylines.find((l) => l.curve === 1)!.stroke, f: sigmoid, xs: [-1, 0, 2, 4, 6] },
    ];
    for (const c of curves) {
      for (const x of c.xs) {
        const p = at(x, c.f(x));
        expect(inkNear(png, p, c.colour, 3), `${c.colour} at x = ${x}, pixel (${p.x}, ${p.y})`).toBe(true);
        // and not mirrored top to bottom: the same column, reflected about the frame's middle
        const mirror = { x: p.x, y: 2 * frame.top + frame.height - p.y };
        if (Math.abs(mirror.y - p.y) > 40) expect(inkNear(png, mirror, c.colour, 3), `${c.colour} also at the mirror of x = ${x}`).toBe(false);
      }
    }
  });
});

import { beforeEach, describe, expect, test } from 'vitest';
import { TableLane, type TableLaneOptions } from '../../../src/io/fastlane/scan.js';
import { WasmTableLane } from '../../../src/io/fastlane/wasm-lane.js';
import { feedBytes } from './lanes.js';
import { alongRows, tableDirection } from '../../../src/tensor.js';
import { lookup } from '../../../src/kernels/registry.js';
import { formatNumber } from '../../../src/numbers/format.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

type Lane = TableLane | WasmTableLane;
/** Both byte lanes: the TypeScript one and the wasm one (from the first byte), same expectations. */
const LANES: [string, (o: TableLaneOptions) => Lane][] = [
  ['TableLane', (o) => new TableLane(o)],
  ['WasmTableLane', (o) => new WasmTableLane(o, 0)],
];
let make = LANES[0][1];

function lane(activation: string, over: Partial<TableLaneOptions> = {}, params: Record<string, unknown> = {}): Lane {
  return make({ sep: 44, select: new Uint8Array(0), rest: 1, step: alongRows(lookup(activation).bind(params), activation), crlf: false, ...over });
}

/** Feed `text` in pieces of `step` bytes, as a stream would; returns output, stop offset, stopped. */
function feed(l: Lane, text: string, step = 1 << 20): { out: string; at: number; stopped: boolean } {
  const { out, at, stopped } = feedBytes(l, enc.encode(text), step);
  return { out, at, stopped };
}

const sigmoidKernel = lookup('sigmoid').bind({});
function sig(x: number): number {
  const a = Float64Array.of(x);
  if (sigmoidKernel.kind === 'elementwise') sigmoidKernel.map(a, a, 0, 1);
  return a[0];
}

describe.each(LANES)('%s', (_name, maker) => {
  beforeEach(() => {
    make = maker;
  });

  test('transforms every cell and writes the shortest round-trip text', () => {
    const r = feed(lane('relu'), '1,-2,3.5\n-0,1e-7,-1e21\n');
    expect(r).toEqual({ out: '1,0,3.5\n0,1e-7,0\n', at: 23, stopped: false });
  });

  test('same bytes whatever the chunking', () => {
    const rows: string[] = [];
    for (let i = 0; i < 500; i++) rows.push([i * 0.37 - 90, -i / 7, 1e-300 * i, i].map(String).join(','));
    const text = rows.join('\n') + '\n';
    const whole = feed(lane('sigmoid'), text).out;
    for (const step of [1, 7, 64, 1000]) expect(feed(lane('sigmoid'), text, step).out).toBe(whole);
    const expected = rows.map((r) => r.split(',').map((c) => formatNumber(sig(Number(c)))).join(',')).join('\n') + '\n';
    expect(whole).toBe(expected);
  });

  test('passes unselected columns through byte for byte', () => {
    const r = feed(lane('relu', { select: Uint8Array.from([0, 1, 0]), rest: 1 }), 'id-7,-3,keep me,-4\nx,5,,6\n');
    expect(r.out).toBe('id-7,0,keep me,0\nx,5,,6\n');
  });

  test('keeps CRLF when told and handles a last line without newline at EOF', () => {
    expect(feed(lane('linear', { crlf: true }), '1,2\r\n3,4').out).toBe('1,2\r\n3,4\r\n');
  });

  test('stops before a line it cannot take: quote, bad cell, empty cell, empty line', () => {
    for (const bad of ['"1",2', '1,abc', '1,,2', '', '1,0x10', ' 1,2']) {
      const r = feed(lane('relu'), `1,2\n${bad}\n3,4\n`);
      expect(r.stopped, JSON.stringify(bad)).toBe(true);
      expect(r.at).toBe(4);
      expect(r.out).toBe('1,2\n');
    }
  });

  test('waits for the rest of a partial line', () => {
    const l = lane('linear');
    const buf = enc.encode('1,2\n3,');
    expect(l.run(buf, 0, buf.length, false)).toBe(4);
    expect(l.stopped).toBe(false);
    expect(dec.decode(l.take())).toBe('1,2\n');
  });

  test('text: runs of blanks separate, one space joins', () => {
    expect(feed(lane('linear', { sep: 32 }), '  1 \t 2   3\n4\n').out).toBe('1 2 3\n4\n');
  });

  test('TSV', () => {
    expect(feed(lane('relu', { sep: 9 }), '-1\t2\n').out).toBe('0\t2\n');
  });

  test('softmax along each row, ragged rows allowed', () => {
    const r = feed(lane('softmax'), '1,2,3\n5\n');
    const row = r.out.split('\n');
    expect(row[1]).toBe('1');
    const vals = row[0].split(',').map(Number);
    expect(vals.reduce((a, b) => a + b)).toBeCloseTo(1, 15);
  });

  test('prelu with one alpha per column needs rows of that width', () => {
    const ok = feed(lane('prelu', {}, { alpha: [0.1, 0.2] }), '-1,-1\n-2,-2\n');
    expect(ok.out).toBe('-0.1,-0.2\n-0.2,-0.4\n');
    const bad = feed(lane('prelu', {}, { alpha: [0.1, 0.2] }), '-1,-1\n-2,-2,-2\n');
    expect(bad.stopped).toBe(true);
    expect(bad.out).toBe('');
    expect(bad.at).toBe(0);
  });

  test('precision rounds to significant digits', () => {
    expect(feed(lane('linear', { precision: 3 }), '3.14159,-0.000123456\n').out).toBe('3.14,-0.000123\n');
  });

  test('the lane takes steps that keep the row length: element-wise and row-wise kernels, not glu', () => {
    const keeps = (name: string, params = {}): boolean => alongRows(lookup(name).bind(params), name).keepsLength;
    expect(keeps('sigmoid')).toBe(true);
    expect(keeps('softmax')).toBe(true);
    expect(keeps('glu')).toBe(false);
    expect(tableDirection(lookup('softmax').bind({ axis: 0 }), 'softmax')).toBe('columns');
    expect(tableDirection(lookup('softmax').bind({}), 'softmax')).toBe('rows');
  });
});

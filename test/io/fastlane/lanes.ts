/**
 * Shared by the byte-lane tests: feeding a lane in chunks as a stream would, and running a suite
 * once per byte lane (the TypeScript one and the wasm one, chosen by the ACTIV_WASM test hook).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { TableLane } from '../../../src/io/fastlane/scan.js';
import type { WasmTableLane } from '../../../src/io/fastlane/wasm-lane.js';

const dec = new TextDecoder();

export interface Fed {
  out: string;
  at: number;
  stopped: boolean;
  lines: number;
}

/** Feed buf in pieces of `step` bytes; returns output, stop offset, stopped and lines. */
export function feedBytes(l: TableLane | WasmTableLane, buf: Uint8Array, step = 1 << 20): Fed {
  let out = '';
  let p = 0;
  let end = 0;
  while (p < buf.length) {
    end = Math.min(buf.length, Math.max(end, p) + step);
    const q = l.run(buf, p, end, end === buf.length);
    out += dec.decode(l.take());
    if (l.stopped) return { out, at: q, stopped: true, lines: l.lines };
    p = q;
  }
  return { out, at: p, stopped: false, lines: l.lines };
}

/** Run `suite` once with ACTIV_WASM=0 (TypeScript lane) and once with ACTIV_WASM=always (wasm from the first byte, workers too). */
export function onBothByteLanes(suite: () => void): void {
  describe.each([
    ['TypeScript lane', '0'],
    ['wasm lane', 'always'],
  ])('%s', (_lane, mode) => {
    const before = process.env.ACTIV_WASM;
    beforeAll(() => {
      process.env.ACTIV_WASM = mode;
    });
    afterAll(() => {
      if (before === undefined) delete process.env.ACTIV_WASM;
      else process.env.ACTIV_WASM = before;
    });
    suite();
  });
}

// Helpers shared by the tests: a seeded generator, and catching the project's error type.
import { expect } from 'vitest';
import { ActivError } from '../src/errors.js';

/** mulberry32: uniform in [0, 1) from a seed, the same sequence on every run, so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ActivError that f throws; fails the test if f throws something else or nothing. */
export function thrown(f: () => unknown): ActivError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ActivError);
    return e as ActivError;
  }
  throw new Error('expected an ActivError, nothing was thrown');
}

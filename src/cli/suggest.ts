/**
 * "Did you mean" for a mistyped option: the option names (the program's own and every
 * activation's parameter flags) nearest to it by edit distance, as unknown activation names get.
 */
import { editDistance } from '../kernels/registry.js';

/** Up to two of `known` nearest to `typed` (both written --like-this), nearest first. */
export function nearestFlags(typed: string, known: readonly string[]): string[] {
  const word = typed.replace(/=.*$/, '').replace(/_/g, '-').toLowerCase();
  const limit = Math.max(2, Math.floor((word.length - 2) / 3));
  return [...new Set(known)]
    .map((flag) => ({ flag, d: editDistance(word, flag) }))
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.flag.localeCompare(b.flag))
    .slice(0, 2)
    .map((s) => s.flag);
}

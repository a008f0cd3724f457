/**
 * Where each element-wise activation has a corner or a jump, from its name and bound
 * parameters: the sampler puts these abscissae (and their neighbouring doubles) into the grid,
 * so a plot shows relu6's corner at 6 exactly instead of rounding it off between two samples.
 * Smooth activations have none. Kept beside the plot because only the plot needs it.
 */
import type { BoundParams } from '../kernels/spec.js';

type KinkRule = (p: BoundParams) => number[];

const num = (p: BoundParams, k: string): number => p[k] as number;
const zero: KinkRule = () => [0];
const pm = (k: number): number[] => [-k, k];

const RULES: Readonly<Record<string, KinkRule>> = {
  // relu: the threshold; with max_value set, the clip to [0, max_value], whose 0 lies inside
  // (threshold, 0) when threshold < 0 and then hides the threshold unless there is a leak
  relu: (p) => {
    const t = num(p, 'threshold');
    const clip = p.max_value !== null;
    const leak = num(p, 'alpha') !== 0;
    return [...(t >= 0 || leak || !clip ? [t] : []), ...(t < 0 && clip ? [0] : []), ...(clip ? [num(p, 'max_value')] : [])];
  },
  relu6: () => [0, 6],
  hard_sigmoid: () => pm(2.5),
  hard_tanh: () => pm(1),
  hard_silu: () => pm(3),
  sparse_plus: () => pm(1),
  sparse_sigmoid: () => pm(1),
  leaky_relu: zero,
  prelu: zero,
  elu: zero,
  selu: zero,
  celu: zero,
  squareplus: (p) => (num(p, 'b') === 0 ? [0] : []), // relu when b = 0, smooth otherwise
  thresholded_relu: (p) => [num(p, 'theta')],
  threshold: (p) => [num(p, 'threshold')],
  soft_shrink: (p) => pm(num(p, 'threshold')),
  hard_shrink: (p) => pm(num(p, 'threshold')),
};

/** The corners and jumps of activation `name` with parameters `params`, sorted, without repeats. */
export function kinksOf(name: string, params: BoundParams): number[] {
  const rule = RULES[name];
  if (!rule) return [];
  return [...new Set(rule(params).map((k) => (k === 0 ? 0 : k)))].sort((a, b) => a - b);
}

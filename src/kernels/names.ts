/**
 * Activations by name, without their derivatives: the quick path's lookup (its bundle leaves out
 * gradients.ts and the derivative kernels, ~16 KB it never runs: issue 11, start-up). Accepts the
 * other libraries' spellings where they mean the same function: aliases (swish, hardtanh, ...),
 * layer names (LeakyReLU), camelCase (logSoftmax) and dashes (log-softmax). registry.ts adds the
 * derivatives for everything else.
 */
import { ActivError } from '../errors.js';
import { SPECS } from './catalogue.js';
import type { ValueSpec } from './spec.js';

/** Case, dashes and underscores do not distinguish names: LeakyReLU = leaky-relu = leaky_relu. */
function key(name: string): string {
  return name.replace(/[-_\s]/g, '').toLowerCase();
}

const BY_KEY = new Map<string, ValueSpec>();
for (const spec of SPECS) {
  for (const n of [spec.name, ...spec.aliases]) BY_KEY.set(key(n), spec);
}

/** Every activation, in the catalogue's order. */
export function activations(): readonly ValueSpec[] {
  return SPECS;
}

/** Levenshtein distance; also ranks the "did you mean" for option names (src/cli/suggest.ts). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Up to three catalogue names nearest to `name`, nearest first. */
export function nearestNames(name: string): string[] {
  const k = key(name);
  const scored = SPECS.map((s) => {
    const d = Math.min(...[s.name, ...s.aliases].map((n) => editDistance(k, key(n))));
    const contains = k.length >= 3 && key(s.name).includes(k) ? -1 : 0;
    return { name: s.name, d: d + contains };
  });
  scored.sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  const limit = Math.max(2, Math.floor(k.length / 3));
  return scored.filter((s) => s.d <= limit).slice(0, 3).map((s) => s.name);
}

/** The activation `name` spells; throws ActivError (usage) with the nearest names when none. */
export function findActivation(name: string): ValueSpec {
  // PyTorch's hardsigmoid is relu6(x + 3) / 6, not Keras's clip(0.2x + 0.5): refuse the spelling
  // rather than silently give the other function. tfjs's camelCase hardSigmoid is Keras's and passes.
  if (/^[Hh]ardsigmoid$/.test(name)) {
    throw new ActivError(
      `unknown activation '${name}': PyTorch's hardsigmoid is relu6(x + 3) / 6, which differs from Keras's hard_sigmoid, clip(0.2x + 0.5, 0, 1); use hard_sigmoid for Keras's definition (PyTorch's hardswish, x * hardsigmoid(x), is hard_silu here)`,
    );
  }
  const spec = BY_KEY.get(key(name));
  if (spec) return spec;
  const near = nearestNames(name);
  const hint = near.length ? `did you mean ${near.join(', ')}?` : "run 'activ list' for the catalogue";
  throw new ActivError(`unknown activation '${name}'; ${hint}`);
}

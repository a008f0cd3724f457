/**
 * The one place every other part of the program asks for an activation by name (names.ts finds
 * it), with its derivative (gradients.ts: the same parameters, issue 13). Only the quick path
 * asks names.ts directly: it never binds a derivative.
 */
import { gradEntry } from './gradients.js';
import { activations, findActivation } from './names.js';
import { bindParams } from './params.js';
import type { ActivationSpec, ValueSpec } from './spec.js';

export { editDistance, nearestNames } from './names.js';

const WITH_DERIVATIVE = new Map<ValueSpec, ActivationSpec>(
  activations().map((s) => [
    s,
    Object.freeze({
      ...s,
      bindGrad: (given?: Readonly<Record<string, unknown>>) => gradEntry(s.name).make(bindParams(s.name, s.params, given)),
      derivative: gradEntry(s.name),
    }),
  ]),
);
const SPECS: readonly ActivationSpec[] = [...WITH_DERIVATIVE.values()];

export function catalogue(): readonly ActivationSpec[] {
  return SPECS;
}

export function lookup(name: string): ActivationSpec {
  return WITH_DERIVATIVE.get(findActivation(name))!;
}

/**
 * NumPy arrays, and JSON written as arrays: src/io/arrays.ts reads and writes them, array by
 * array; the pipeline gives it the kernel as a value step and JSON tensor evaluation.
 */
import { ActivError } from '../errors.js';
import { runArrays as runArrayIo, type ArrayInput } from '../io/arrays.js';
import type { Sink } from '../io/streams.js';
import { valueStep } from '../tensor.js';
import { evaluateTensor } from './document.js';
import type { Plan } from './plan.js';

export function runArrays(from: ArrayInput, plan: Plan, sink: Sink): Promise<void> {
  const tensor = (doc: unknown, where: string) => {
    const { t, result } = evaluateTensor(doc, where, { ...plan, read: { ...plan.read, onInvalid: 'fail' } });
    if (t.invalid.length) throw new ActivError(`${where}: a .npy array holds numbers only`, 'data');
    return result;
  };
  return runArrayIo(from, { ...plan, step: valueStep(plan.kernel.kernel), tensor }, sink);
}

/**
 * The one adapter between the run's Plan and the NumPy runner (npy.ts): NpyOptions from the Plan,
 * with the text writers (createOutput) and JSON tensor evaluation (document.ts) the rest of the
 * pipeline owns. When the Plan changes shape, this file is the one to change.
 */
import { ActivError } from '../errors.js';
import { createOutput } from '../io/formats.js';
import type { Format } from '../io/table.js';
import type { Sink } from '../io/streams.js';
import { evaluateTensor } from './document.js';
import type { NpyOptions } from './npy.js';
import type { Plan } from './plan.js';

export function npyOptions(plan: Plan): NpyOptions {
  const { kernel, recipe, name } = plan.kernel;
  return {
    name,
    kernel,
    // worker threads bind the same kernel from the parameters; a derivative stays on one thread
    params: recipe && !recipe.grad ? recipe.params : undefined,
    to: plan.write.to,
    columns: plan.read.columns,
    dtype: plan.write.dtype,
    async textWriter(to: Format, sink: Sink) {
      // The input format is 'npy': never the same CSV dialect, so the delimiter is the output's own.
      const out = await createOutput(sink, { ...plan, write: { ...plan.write, to } }, { format: 'npy' });
      return { w: out.options, table: to === 'json' ? undefined : out.writer };
    },
    tensor(doc, where) {
      const { t, result } = evaluateTensor(doc, where, { ...plan, read: { ...plan.read, onInvalid: 'fail' } });
      if (t.invalid.length) throw new ActivError(`${where}: a .npy array holds numbers only`, 'data');
      return result;
    },
  };
}

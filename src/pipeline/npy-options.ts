/**
 * The one adapter between the pipeline's options and the NumPy runner (npy.ts): NpyOptions from
 * PipelineOptions, with the text writers and JSON tensor evaluation the rest of the pipeline owns.
 * When the pipeline's options change shape, this file is the one to change.
 */
import { ActivError } from '../errors.js';
import type { Format } from '../io/block.js';
import type { Sink } from '../io/streams.js';
import { makeWriter, writeOptions, type PipelineOptions, type Stats } from './common.js';
import { evaluateTensor } from './document.js';
import type { NpyOptions } from './npy.js';

export function npyOptions(opt: PipelineOptions, stats: Stats): NpyOptions {
  return {
    name: opt.name,
    kernel: opt.kernel,
    params: opt.params,
    to: opt.to,
    columns: opt.columns,
    dtype: opt.dtype,
    async textWriter(to: Format, sink: Sink) {
      const w = writeOptions(opt, stats, 'npy', to);
      return { w, table: to === 'json' ? undefined : await makeWriter(to, sink, w) };
    },
    tensor(doc, where) {
      const { t, result } = evaluateTensor(doc, where, { ...opt, onInvalid: 'fail' });
      if (t.invalid.length) throw new ActivError(`${where}: a .npy array holds numbers only`, 'data');
      return result;
    },
  };
}

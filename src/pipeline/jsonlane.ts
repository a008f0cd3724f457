/**
 * JSON input through the JSON lane (src/io/jsonlane/): numeric tensors stream from bytes to
 * bytes; every other document is parsed whole and goes through runJsonValue, in its place. The
 * lane's refusals are worded here, by the same functions the general reader uses.
 */
import { ActivError } from '../errors.js';
import { notATensor, raggedMessage } from '../io/json.js';
import type { TensorProblem } from '../io/jsonlane/documents.js';
import { fileChunks } from '../io/jsonlane/fileread.js';
import { runJsonLane } from '../io/jsonlane/run.js';
import { JsonSyntaxError } from '../io/jsonlane/scan.js';
import type { Input, Sink } from '../io/streams.js';
import { writeOptions, type PipelineOptions, type Stats } from './common.js';
import { invalidTensorValue, runJsonValue } from './document.js';

export async function runJsonStream(input: Input, opt: PipelineOptions, sink: Sink, stats: Stats): Promise<void> {
  const to = opt.to ?? 'json';
  const display = input.display;
  const w = writeOptions(opt, stats, 'json', to);
  const plan = {
    kernel: opt.kernel,
    onInvalid: opt.onInvalid,
    generalOnly: opt.lane === 'general' || (to !== 'json' && to !== 'ndjson'),
    precision: opt.precision,
    nonfinite: opt.nonfinite,
    onNonfinite: w.onNonfinite,
  };
  const file = input.rereadable && input.text === undefined ? fileChunks(input.path) : undefined;
  const docs = await runJsonLane(file ?? input.chunks(), plan, {
    writeBytes: (b) => sink.writeBytes(b),
    general: (v) => runJsonValue(v, input, opt, sink, stats),
    error: (p) => jsonLaneError(display, p, opt),
  });
  if (docs === 0) throw new ActivError(`${display}: empty input, expected a JSON document`, 'data');
}

export function jsonLaneError(display: string, p: TensorProblem | JsonSyntaxError, opt: PipelineOptions): ActivError {
  if (p instanceof JsonSyntaxError) return new ActivError(`${display}:${p.line}:${p.col}: invalid JSON: ${p.message}`, 'data');
  if (p.kind === 'ragged') return new ActivError(raggedMessage(`${display}: `, p.path, p.expected, p.depth), 'data');
  if (p.kind === 'shape') return new ActivError(notATensor(display), 'data');
  return invalidTensorValue(display, p, opt) ?? new ActivError(`${display} ${p.path}: not a number`, 'data');
}

/**
 * The pipeline: each input is opened by the I/O (which picks its format and lane), its rows go
 * through the kernel's row step, and a writer writes them; a JSON document is a tensor of its
 * own shape. The pipeline names no format, opens no file and knows no lane: src/io/ owns those.
 * Its parts: plan.ts (options narrowed once), rows.ts (along rows), columns.ts (--axis 0),
 * document.ts (JSON documents), arrays.ts (NumPy .npy/.npz arrays: src/io/arrays.ts).
 */
import { detectFormat, isArrayFile, isDocument, isLineDocuments } from '../io/formats.js';
import type { Input, Sink } from '../io/streams.js';
import { finalNotes, type Plan } from './plan.js';
import { runTable } from './rows.js';

export { makePlan, type Plan, type PlanChoices } from './plan.js';

/** Run every input through the activation into the sink, in order. */
export async function runPipeline(inputs: readonly Input[], plan: Plan, sink: Sink): Promise<void> {
  for (const given of inputs) {
    const detected = await detectFormat(given, plan.read);
    // The array and JSON runners load only when an input needs them: start-up pays for what runs.
    if (isArrayFile(detected.format) || isArrayFile(plan.write.to)) await (await import('./arrays.js')).runArrays(detected, plan, sink);
    else if (isDocument(detected.format) || isLineDocuments(detected.format)) await (await import('./document.js')).runDocuments(detected, plan, sink);
    else await runTable(detected, plan, sink);
    await sink.flush();
  }
  finalNotes(plan.report);
}

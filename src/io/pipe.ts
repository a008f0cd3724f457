/**
 * source.pipe(dest) without touching process.stdout and process.stderr. Node's pipe() compares
 * dest with both to decide whether to end it, and reading either getter creates the stream (for
 * a pipe or a terminal, with Node's net modules: about 1 ms for the two, measured with both as
 * pipes) in a run that writes to them only directly (direct-out.ts). With `{ end: false }` pipe()
 * skips the comparison; dest is ended here, when source ends, as pipe() would.
 */
import type { Readable } from 'node:stream';

export function pipeInto<T extends NodeJS.WritableStream>(source: Readable, dest: T): T {
  source.pipe(dest, { end: false });
  source.once('end', () => dest.end());
  return dest;
}

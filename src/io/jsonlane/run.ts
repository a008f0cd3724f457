/**
 * The JSON lane over an input's bytes: read in chunks of about 1 MiB, scan, write what each
 * chunk completed, and hand the documents the lane does not stream to the general reader in
 * their place in the output. Memory is the chunk, the output of one chunk and the depth stacks,
 * whatever the size of a streamed document.
 */
import { withRoom } from '../../fastlane/bytes.js';
import { DocumentLane, type LanePlan, type TensorProblem } from './documents.js';
import { JsonScanner, JsonSyntaxError } from './scan.js';

const CHUNK = 1 << 20;

export interface JsonLaneHooks {
  /** Write bytes in order with any text written before them. */
  writeBytes(bytes: Uint8Array): Promise<void>;
  /** A document for the general reader (parsed), in its place. */
  general(value: unknown): Promise<void>;
  /** The error for a syntax error or a tensor the lane refused. */
  error(problem: TensorProblem | JsonSyntaxError): Error;
}

/** Run the lane over a byte stream; returns the number of documents. */
export async function runJsonLane(chunks: AsyncIterable<Uint8Array>, plan: LanePlan, hooks: JsonLaneHooks): Promise<number> {
  const lane = new DocumentLane(plan);
  const scan = new JsonScanner(lane);
  const it = chunks[Symbol.asyncIterator]();
  let buf = new Uint8Array(CHUNK * 2);
  let have = 0;
  let need = CHUNK;
  const decoder = new TextDecoder();
  const drain = async (): Promise<void> => {
    const out = lane.emit.take();
    const items = lane.items;
    lane.items = [];
    let p = 0;
    for (const item of items) {
      if (item.upTo > p) await hooks.writeBytes(out.subarray(p, item.upTo));
      p = item.upTo;
      if (item.doc) await hooks.general(JSON.parse(decoder.decode(item.doc)));
      if (item.problem) throw hooks.error(item.problem);
    }
    if (out.length > p) await hooks.writeBytes(out.subarray(p));
  };
  for (;;) {
    const r = await it.next();
    const atEof = r.done === true;
    if (!atEof) {
      const c = r.value;
      buf = withRoom(buf, have, c.length);
      buf.set(c, have);
      have += c.length;
      if (have < need) continue;
    }
    let used = 0;
    let failure: JsonSyntaxError | undefined;
    try {
      used = scan.run(buf, 0, have, atEof);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      failure = e;
    }
    lane.settle();
    await drain();
    if (failure) throw hooks.error(failure);
    // A token longer than what is buffered: wait for twice as much before scanning it again.
    need = used === 0 ? have * 2 : CHUNK;
    buf.copyWithin(0, used, have);
    have -= used;
    if (atEof) return scan.docs;
  }
}

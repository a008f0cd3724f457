/**
 * The JSON lane over an input's bytes: read in chunks of about 1 MiB, scan, write what each
 * chunk completed, and hand the documents the lane does not stream to the general reader in
 * their place in the output. Memory is the chunk, the output of one chunk and the depth stacks,
 * whatever the size of a streamed document.
 */
import { withRoom } from '../../fastlane/bytes.js';
import { DocumentLane, type LanePlan, type MemberTexts, type TensorProblem } from './documents.js';
import { NdjsonLane, type NdjsonPlan } from './ndjson.js';
import { JsonScanner, JsonSyntaxError } from './scan.js';

const CHUNK = 1 << 20;

export interface JsonLaneHooks {
  /** Write bytes in order with any text written before them. */
  writeBytes(bytes: Uint8Array): Promise<void>;
  /** A document for the general reader (parsed), in its place; an object's members' texts by key. */
  general(value: unknown, texts?: MemberTexts): Promise<void>;
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
      if (item.doc) await hooks.general(JSON.parse(decoder.decode(item.doc)), item.texts);
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

export interface NdjsonLaneResult {
  /** Lines transformed, those not empty, and the widest of them. */
  lines: number;
  dataLines: number;
  width: number;
  /** The bytes from the first line not transformed on, or undefined when all were. */
  rest?: AsyncIterable<Uint8Array>;
}

async function* prepend(head: Uint8Array, tail: AsyncIterator<Uint8Array> | undefined): AsyncIterable<Uint8Array> {
  if (head.length) yield head;
  if (!tail) return;
  for (;;) {
    const r = await tail.next();
    if (r.done) return;
    yield r.value;
  }
}

/** The NDJSON lane over a byte stream, until its end or the first line it does not take. */
export async function runNdjsonLane(chunks: AsyncIterable<Uint8Array>, plan: NdjsonPlan, writeBytes: (b: Uint8Array) => Promise<void>): Promise<NdjsonLaneResult> {
  const lane = new NdjsonLane(plan);
  const it = chunks[Symbol.asyncIterator]();
  let buf = new Uint8Array(CHUNK * 2);
  let have = 0;
  let need = CHUNK;
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
    const used = lane.run(buf, 0, have, atEof);
    need = used === 0 ? have * 2 : CHUNK; // a line longer than the buffer: scan it again only when twice as much is in
    await writeBytes(lane.emit.take());
    const done = { lines: lane.lines, dataLines: lane.dataLines, width: lane.width };
    if (lane.stopped) return { ...done, rest: prepend(buf.slice(used, have), atEof ? undefined : it) };
    buf.copyWithin(0, used, have);
    have -= used;
    if (atEof) return done;
  }
}

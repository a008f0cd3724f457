/**
 * The JSON lane over an input's bytes: read in chunks of about 1 MiB, scan, write what each
 * chunk completed, and hand the documents the lane does not stream to the general reader in
 * their place in the output. Memory is the chunk, the output of one chunk and the depth stacks,
 * whatever the size of a streamed document.
 */
import { prepend, resume, withRoom } from '../fastlane/bytes.js';
import { nextOrPause, PAUSED } from '../fastlane/run.js';
import { DocumentLane, type LanePlan, type MemberTexts, type TensorProblem } from './documents.js';
import { NdjsonLane, type NdjsonPlan } from './ndjson.js';
import { JsonScanner, JsonSyntaxError } from './scan.js';

const CHUNK = 1 << 20;

export interface JsonLaneHooks {
  /** Write bytes in order with any text written before them. */
  writeBytes(bytes: Uint8Array): Promise<void>;
  /** A document for the general reader, in its place. */
  general(doc: ParsedDocument): Promise<void>;
  /** The error for a syntax error or a tensor the lane refused. */
  error(problem: TensorProblem | JsonSyntaxError): Error;
}

/** A document the lane hands over, parsed, with its members' texts; `vectorIsRow`: it is not its input's only document. */
export interface ParsedDocument {
  readonly value: unknown;
  readonly texts?: MemberTexts;
  readonly vectorIsRow: boolean;
}

/** A flat array (no arrays or objects in it): a 1-D tensor, or what would be one but for its values. */
function isVector(v: unknown): boolean {
  return Array.isArray(v) && !v.some((x) => typeof x === 'object' && x !== null);
}

/**
 * Chunks gathered into one buffer for the scanners: about 1 MiB per scan (fewer, larger calls
 * and writes), and twice as much as last time when a scan used nothing (a token or line longer
 * than the buffer: scanned again only when there is twice as much of it).
 */
class Gather {
  buf = new Uint8Array(CHUNK * 2);
  have = 0;
  atEof = false;
  private need = CHUNK;
  constructor(readonly it: AsyncIterator<Uint8Array>) {}

  private pending: Promise<IteratorResult<Uint8Array>> | undefined;
  private paused = false;

  /** Read until a scan is due, the input ends, or it pauses with bytes in (a live stream). */
  async fill(): Promise<void> {
    for (;;) {
      const next = (this.pending ??= this.it.next());
      // after one pause the bytes in have been scanned: wait for more without a timer
      const got = this.have > 0 && !this.paused ? await nextOrPause(next) : await next;
      this.paused = got === PAUSED;
      if (got === PAUSED) return;
      this.pending = undefined;
      const r = got;
      if (r.done) {
        this.atEof = true;
        return;
      }
      const c = r.value;
      this.buf = withRoom(this.buf, this.have, c.length);
      this.buf.set(c, this.have);
      this.have += c.length;
      if (this.have >= this.need) return;
    }
  }

  /** The unread rest of the stream, a read under way (after a pause) first. */
  tail(): AsyncIterator<Uint8Array> {
    return resume(this.pending, this.it);
  }

  /** The scan used `used` bytes: keep the rest for the next. */
  consumed(used: number): void {
    this.need = used === 0 ? this.have * 2 : CHUNK;
    this.buf.copyWithin(0, used, this.have);
    this.have -= used;
  }
}

/**
 * Run the lane over a byte stream; returns the number of documents. A first document that is a
 * vector, under a step that takes vectors as rows, is held until a second document starts (it is
 * a row) or the input ends (it is alone): see stream.ts.
 */
export async function runJsonLane(chunks: AsyncIterable<Uint8Array>, plan: LanePlan, hooks: JsonLaneHooks): Promise<number> {
  const lane = new DocumentLane(plan);
  const scan = new JsonScanner(lane);
  const g = new Gather(chunks[Symbol.asyncIterator]());
  const decoder = new TextDecoder();
  const holds = plan.vectorsAreRows === true;
  let held: ParsedDocument | undefined;
  const release = async (): Promise<void> => {
    const doc = held;
    held = undefined;
    if (doc) await hooks.general({ ...doc, vectorIsRow: lane.started > 1 });
  };
  const drain = async (): Promise<void> => {
    const out = lane.emit.take();
    const items = lane.items;
    lane.items = [];
    let p = 0;
    for (const item of items) {
      await release(); // anything after the held document: a second one has started
      if (item.upTo > p) await hooks.writeBytes(out.subarray(p, item.upTo));
      p = item.upTo;
      if (item.doc) {
        const doc = { value: JSON.parse(decoder.decode(item.doc)) as unknown, texts: item.texts, vectorIsRow: !item.first };
        if (holds && item.first && isVector(doc.value)) held = doc;
        else await hooks.general(doc);
      }
      if (item.problem) throw hooks.error(item.problem);
    }
    if (out.length > p) {
      await release();
      await hooks.writeBytes(out.subarray(p));
    }
    if (lane.started > 1) await release();
  };
  for (;;) {
    await g.fill();
    let used = 0;
    let failure: JsonSyntaxError | undefined;
    try {
      used = scan.run(g.buf, 0, g.have, g.atEof);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      failure = e;
    }
    lane.settle();
    await drain();
    if (failure) {
      await release();
      throw hooks.error(failure);
    }
    g.consumed(used);
    if (g.atEof) {
      await release();
      return scan.docs;
    }
  }
}

export interface NdjsonLaneResult {
  /** Lines transformed, those not empty, and the widest of them. */
  lines: number;
  dataLines: number;
  width: number;
  /** Values on the first of them that is not empty. */
  firstWidth: number;
  /** The bytes from the first line not transformed on, or undefined when all were. */
  rest?: AsyncIterable<Uint8Array>;
}

/** The NDJSON lane over a byte stream, until its end or the first line it does not take. */
export async function runNdjsonLane(chunks: AsyncIterable<Uint8Array>, plan: NdjsonPlan, writeBytes: (b: Uint8Array) => Promise<void>): Promise<NdjsonLaneResult> {
  const lane = new NdjsonLane(plan);
  const g = new Gather(chunks[Symbol.asyncIterator]());
  for (;;) {
    await g.fill();
    const used = lane.run(g.buf, 0, g.have, g.atEof);
    await writeBytes(lane.emit.take());
    const done = { lines: lane.lines, dataLines: lane.dataLines, width: lane.width, firstWidth: lane.firstWidth };
    if (lane.stopped) return { ...done, rest: prepend(g.buf.slice(used, g.have), g.atEof ? undefined : g.tail()) };
    g.consumed(used);
    if (g.atEof) return done;
  }
}

/**
 * The NDJSON lane over a large regular file on every core: the file is cut at line ends, worker
 * threads (ndjson-worker.ts) transform the segments and the main thread writes their outputs in
 * order (fastlane/parallel.ts, the CSV lane's machinery). A segment stops at the first line the
 * lane does not take; from that line on the caller goes on exactly as after the one-thread lane
 * (the general reader, which owns every error message), so both say the same.
 */
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Digits } from '../../numbers/format.js';
import type { KernelRecipe } from '../../tensor.js';
import { checkedText } from '../binary.js';
import { transformSegments, workerCount, type SegmentReply } from '../fastlane/parallel.js';
import { PARALLEL_MIN_BYTES } from '../fastlane/run.js';
import { NdjsonLane, type NdjsonPlan } from './ndjson.js';
import { ndjsonWork } from './ndjson-work.js';
import type { NdjsonLaneResult } from './run.js';

/** What a worker is started with (cloned: the kernel is rebuilt from its recipe). */
export interface NdjsonWorkerData {
  readonly path: string;
  readonly recipe: KernelRecipe;
  readonly precision?: Digits;
  readonly nonfinite: 'null' | 'string';
}

/** What a worker adds to a segment's reply. */
export interface NdjsonSegment {
  dataLines: number;
  width: number;
  firstWidth: number;
  /** Non-finite values written as null (the main thread counts them for its note). */
  nonfinite: number;
}

export interface NdjsonFileJob {
  readonly path: string;
  readonly display: string;
  readonly plan: NdjsonPlan;
  /** How the workers rebuild plan.kernel; without one the file stays on one thread. */
  readonly recipe?: KernelRecipe;
  /** Tests: smaller files and segments than a real run's, and the built worker (tests run the sources). */
  readonly minBytes?: number;
  readonly segmentBytes?: number;
  readonly workerUrl?: URL;
}

const MIB = 1 << 20;
const PROBE = 4096;

/**
 * Whether the machine has a core to spare besides ours (unless ACTIV_THREADS says how many threads
 * to use). The threads cost about half as much CPU again as one thread (each compiles the lane's
 * code for itself, and V8's helpers work for each), which pays only on idle cores: on a busy
 * machine they made the 78 MB benchmark 1.5x slower than one thread. Linux tells how many threads
 * are running right now (/proc/loadavg, ours among them); the 1-minute load lags, and counts
 * activ's own threads of the run before.
 */
function coresIdle(): boolean {
  if (process.env.ACTIV_THREADS !== undefined) return true;
  let others: number;
  try {
    others = Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[3].split('/')[0]) - 1;
  } catch {
    others = loadavg()[0];
  }
  return !(others >= availableParallelism() - 1);
}

/**
 * The file's size when threads are worth starting, else undefined: a regular file of at least
 * minBytes, not binary (refused before any output, as the one-thread lane refuses a stream whose
 * first 1 MiB chunk is), whose first lines the lane takes (when it does not, as with NDJSON
 * objects, the one-thread lane hands over at once and threads would only cost their start). Only
 * a few KiB are tried here: the lane's code runs slowly until V8 has compiled it, and each thread
 * pays that on its own.
 */
async function threadedSize(job: NdjsonFileJob): Promise<number | undefined> {
  let fd: number;
  try {
    fd = openSync(job.path, 'r');
  } catch {
    return undefined; // the one-thread reader reports why
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size < (job.minBytes ?? PARALLEL_MIN_BYTES)) return undefined;
    const head = new Uint8Array(Math.min(st.size, MIB));
    readSync(fd, head, 0, head.length, 0);
    const first = async function* (): AsyncIterable<Uint8Array> {
      yield head;
    };
    await checkedText(first(), job.display)[Symbol.asyncIterator]().next();
    const probe = new NdjsonLane({ ...job.plan, onNonfinite: () => undefined });
    const lines = head.subarray(0, Math.min(head.length, job.segmentBytes ?? MIB, PROBE));
    probe.run(lines, 0, lines.lastIndexOf(10) + 1, false);
    return probe.stopped ? undefined : st.size;
  } finally {
    closeSync(fd);
  }
}

/**
 * The NDJSON lane over job.path on worker threads, until its end or the first line it does not
 * take; undefined when the file is small, one thread is asked for, the cores are busy or the
 * kernel has no recipe (the caller runs the one-thread lane).
 */
export async function runNdjsonFile(job: NdjsonFileJob, writeBytes: (b: Uint8Array) => Promise<void>): Promise<NdjsonLaneResult | undefined> {
  const { path, plan, recipe } = job;
  const size = recipe && workerCount() >= 2 && coresIdle() ? await threadedSize(job) : undefined;
  if (!recipe || size === undefined) return undefined;
  const seen: NdjsonSegment = { dataLines: 0, width: 0, firstWidth: 0, nonfinite: 0 };
  const onReply = (r: SegmentReply): void => {
    const s = r.extra as NdjsonSegment;
    if (seen.dataLines === 0) seen.firstWidth = s.firstWidth;
    seen.dataLines += s.dataLines;
    seen.width = Math.max(seen.width, s.width);
    for (let k = 0; k < s.nonfinite; k++) plan.onNonfinite();
  };
  const workerData: NdjsonWorkerData = { path, recipe, precision: plan.precision, nonfinite: plan.nonfinite };
  const workerUrl = job.workerUrl ?? new URL('./ndjson-worker.js', import.meta.url);
  // The main thread transforms segments too, between writes: one worker fewer to start and warm up.
  const here = { work: ndjsonWork({ step: plan.step, precision: plan.precision, nonfinite: plan.nonfinite }) };
  const r = await transformSegments({ path, start: 0, segmentBytes: job.segmentBytes, workerUrl, workerData, onReply }, size, { write: writeBytes, here });
  const done = { lines: r.lines, dataLines: seen.dataLines, width: seen.width, firstWidth: seen.firstWidth };
  if (r.stoppedAt >= size) return done;
  return { ...done, rest: createReadStream(path, { start: r.stoppedAt, highWaterMark: 1 << 16 }) as AsyncIterable<Uint8Array> };
}

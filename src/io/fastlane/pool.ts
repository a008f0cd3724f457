/**
 * Worker threads started ahead of need. A worker costs ~0.1 s before it can take a segment (an
 * isolate, its modules); started when a large file is opened, it loads while the main thread
 * reads the head and sets up the lane, so that time is off the critical path. A worker gets its
 * job with its first message (worker.ts, ndjson-worker.ts wait for it), not as workerData, so a
 * worker started early can take any job for its script.
 *
 * A worker started but never taken (the file went another way: --axis 0, another format) is
 * unreferenced, so it never keeps the process alive; it costs the other core its start-up.
 */
import { Worker } from 'node:worker_threads'; // lazy in the bundle (src/build/bundle.mjs): loaded on first use

/** A worker allocates almost nothing per value (typed arrays are reused): small heaps keep the
 *  process's peak memory low whatever the file's size. */
const LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 48 };

const spare = new Map<string, Worker[]>();

function spawn(url: URL): Worker {
  return new Worker(url, { resourceLimits: LIMITS });
}

/** Start `count` workers of this script now, for a pass that will probably want them. */
export function prestart(url: URL, count: number): void {
  const list = spare.get(url.href) ?? [];
  for (let i = list.length; i < count; i++) {
    const w = spawn(url);
    w.unref();
    // a spare that fails to start is dropped; the pass starts a fresh one
    w.once('error', () => {
      const at = list.indexOf(w);
      if (at >= 0) list.splice(at, 1);
    });
    list.push(w);
  }
  spare.set(url.href, list);
}

/** A worker of this script (a spare one when there is one), referenced, with its job sent. */
export function takeWorker(url: URL, job: unknown): Worker {
  const w = spare.get(url.href)?.shift() ?? spawn(url);
  w.removeAllListeners('error');
  w.ref();
  w.postMessage({ job });
  return w;
}

/** Workers of this script started and not yet taken. */
export function spareCount(url: URL): number {
  return spare.get(url.href)?.length ?? 0;
}

/** Stop the spares (tests; a process exits without waiting for them). */
export async function dropSpares(): Promise<void> {
  const all = [...spare.values()].flat();
  spare.clear();
  await Promise.all(all.map((w) => w.terminate()));
}

/**
 * Archives and documents as arrays: a .npz archive (np.savez, np.savez_compressed) array by array,
 * names kept, chosen with -c like JSON keys, written as .npz, JSON or one array; and a JSON tensor
 * (or an object of tensors) written as .npy (.npz).
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ActivError } from '../errors.js';
import type { ArrayJob } from './arrays.js';
import { isNumericTensor, parseJsonDocument, readJsonText } from './json.js';
import { isRecord } from './ndjson.js';
import { FLOAT64 } from './npy-dtype.js';
import { NpyOut, type ByteSink } from './npy-out.js';
import { binaryTarget, outputDtype, transform } from './npy.js';
import { memorySource, type NpySource } from './npy-source.js';
import type { Input } from './streams.js';

async function readAll(input: Input): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const c of input.chunks()) parts.push(c);
  return Buffer.concat(parts);
}

/** Collects bytes in memory (one .npz entry). */
class MemorySink implements ByteSink {
  private parts: Uint8Array[] = [];
  async writeBytes(b: Uint8Array): Promise<void> {
    this.parts.push(b.slice());
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** The entries of a .npz archive, each array held in memory (zip entries are not random access). */
function unzipArchive(bytes: Uint8Array, where: string): { entries: Record<string, Uint8Array>; compressed: boolean } {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4)) {
    throw new ActivError(`${where}: not a .npz file (not a zip archive)`, 'data');
  }
  try {
    // Local header method field: 8 = deflate (np.savez_compressed), 0 = stored (np.savez).
    return { entries: unzipSync(bytes), compressed: bytes[8] === 8 };
  } catch (e) {
    throw new ActivError(`${where}: broken .npz archive: ${(e as Error).message}`, 'data');
  }
}

/** A .npz input: every chosen array transformed, written as --to says (default: .npz). */
export async function runNpz(job: ArrayJob): Promise<void> {
  const { input, plan, sink } = job;
  const where = input.display;
  const to = plan.write.to ?? 'npz';
  if (to === 'npz' || to === 'npy') binaryTarget(sink, to, where);
  const { entries, compressed } = unzipArchive(await readAll(input), where);
  const files = Object.keys(entries);
  const arrays = files.filter((f) => f.endsWith('.npy'));
  const names = arrays.map((f) => f.slice(0, -4));
  const columns = plan.read.columns;
  const chosen = new Set((columns ? columns.indices(names.length, names) : names.map((_, i) => i)).map((i) => arrays[i]));
  const out = { to, sink, plan };
  const open = (f: string): NpySource => memorySource(entries[f], `${where}: '${f.slice(0, -4)}'`);
  if (to === 'npz') {
    const zip: Zippable = {};
    for (const f of files) {
      if (!chosen.has(f)) {
        zip[f] = entries[f];
        continue;
      }
      const mem = new MemorySink();
      await transform(open(f), { ...out, bytes: mem });
      zip[f] = mem.bytes();
    }
    await sink.writeBytes(zipSync(zip, { level: compressed ? 6 : 0 }));
    return;
  }
  const picked = arrays.filter((f) => chosen.has(f));
  if (to === 'json') {
    // An object of nested arrays, one per chosen array, as a JSON object of tensors is written.
    sink.write('{');
    for (const [i, f] of picked.entries()) {
      sink.write(`${i ? ',' : ''}${JSON.stringify(f.slice(0, -4))}:`);
      await transform(open(f), { ...out, eol: '' });
    }
    sink.write('}\n');
    return;
  }
  if (picked.length !== 1) {
    throw new ActivError(`${where}: holds ${picked.length} arrays (${names.join(', ')}): choose one with -c NAME to write ${to}, or write npz or json`);
  }
  await transform(open(picked[0]), out);
}

/** A JSON tensor (or, for .npz, an object of tensors) written as .npy / .npz, in float64. */
export async function runToArray(job: ArrayJob): Promise<void> {
  const { input, format, plan, sink } = job;
  const to = plan.write.to as 'npy' | 'npz';
  const where = input.display;
  if (format !== 'json') {
    throw new ActivError(`${where}: --to ${to} takes .npy, .npz or JSON input (nested arrays); a ${format} table cannot be written as ${to} yet`);
  }
  binaryTarget(sink, to, where);
  const doc = parseJsonDocument(where, await readJsonText(input));
  const toBytes = async (v: unknown, at: string, bytes: ByteSink): Promise<void> => {
    const result = plan.tensor(v, at);
    const out = new NpyOut(bytes, outputDtype(FLOAT64, plan.write.dtype), { shape: result.shape, fortran: false });
    await out.write(result.data, result.data.length);
    await out.end();
  };
  if (to === 'npy') return toBytes(doc, where, sink);
  if (!isRecord(doc)) throw new ActivError(`${where}: --to npz takes a JSON object of tensors ({"name": [[...]], ...})`);
  const keys = Object.keys(doc);
  const columns = plan.read.columns;
  const chosen = columns ? columns.indices(keys.length, keys).map((i) => keys[i]) : keys.filter((k) => isNumericTensor(doc[k]));
  const zip: Zippable = {};
  for (const k of chosen) {
    const mem = new MemorySink();
    await toBytes(doc[k], `${where}: '${k}'`, mem);
    zip[`${k}.npy`] = mem.bytes();
  }
  await sink.writeBytes(zipSync(zip, { level: 0 }));
}

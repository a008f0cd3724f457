/**
 * The array I/O's seam, as table.ts is for tables: what it reads (ArrayValues: one array's
 * values as float64, in storage order or at an element's place), what it writes (ArrayOut), and
 * what it asks of a run (ArrayPlan: the table plan, the kernel as a value step, JSON tensor
 * evaluation). runArrays is the one entry: a .npy array, a .npz archive, or a JSON document
 * written as .npy/.npz, each array through the step (array-pass.ts) and out in the format --to
 * says. Loaded only when an input needs it: start-up pays for what runs.
 */
import type { Input, Sink } from './streams.js';
import type { Format, TablePlan } from './table.js';
import type { KernelRecipe, Tensor, ValueStep } from '../tensor.js';
import { runNpy } from './npy.js';

/** An array's shape and storage order. */
export interface ArrayShape {
  readonly shape: readonly number[];
  readonly fortran: boolean;
}

/** A run over ranges of elements on worker threads, results written in order to `out`. */
export interface Ranges {
  /** Elements per range (a multiple of the row width when a parameter varies along it). */
  readonly length: number;
  readonly out: ArrayOut;
  /** The main thread's share: values of elements [from, from + dst.length) through the step into dst. */
  readonly local: (from: number, dst: Float64Array) => Promise<void>;
}

/** One array's values, decoded to float64. */
export interface ArrayValues extends ArrayShape {
  /** How messages name the array. */
  readonly where: string;
  /** Elements in the array (1 for 0-d). */
  readonly count: number;
  /** The next dst.length values in storage order. */
  next(dst: Float64Array): Promise<void>;
  /** dst.length values from element `from` on; undefined for a stream (read in order only). */
  readonly at?: (from: number, dst: Float64Array) => Promise<void>;
  /**
   * Runs that may be cut anywhere, on worker threads that read the file and bind the kernel
   * themselves; undefined for a small file, a stream, or a kernel workers cannot rebuild.
   */
  readonly inRanges?: (ranges: Ranges) => Promise<void>;
}

/** Where an array's results go, in storage order. */
export interface ArrayOut {
  /** The next `count` values in storage order. */
  write(values: Float64Array, count: number): Promise<void>;
  end(): Promise<void>;
}

/** What the array I/O asks of a run: the table plan (-c, --to, --dtype, the writers' options) and the kernel. */
export interface ArrayPlan extends TablePlan {
  readonly kernel: {
    /** The activation's name (messages; worker threads look it up). */
    readonly name: string;
    /** How worker threads bind the same kernel; none, or a derivative: one thread. */
    readonly recipe?: KernelRecipe;
  };
  /** The kernel as a value step: the I/O cuts an array where the step allows and hands it the pieces. */
  readonly step: ValueStep;
  /** A JSON value as a tensor through the kernel (a data error when it is not numbers). */
  tensor(doc: unknown, where: string): Tensor;
}

/** One input of the pipeline, with its format. */
export interface ArrayInput {
  readonly input: Input;
  readonly format: Format;
}

/** One input with the run's plan and the sink its output goes to. */
export interface ArrayJob extends ArrayInput {
  readonly plan: ArrayPlan;
  readonly sink: Sink;
}

/** A .npy or .npz input written as --to says (default: its own format), or a JSON document written as .npy/.npz. */
export async function runArrays(from: ArrayInput, plan: ArrayPlan, sink: Sink): Promise<void> {
  const job = { ...from, plan, sink };
  if (from.format === 'npy') return runNpy(job);
  // npz.ts loads fflate (the zip library), whose start-up loads node:module and worker_threads:
  // ~10 ms that a .npy run does not need
  const { runNpz, runToArray } = await import('./npz.js');
  if (from.format === 'npz') return runNpz(job);
  return runToArray(job);
}

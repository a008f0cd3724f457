/**
 * The shapes every activation shares. The registry holds one ActivationSpec per activation;
 * `bind` checks the parameters once and returns a kernel that touches no parameters per element.
 */

import type { VjpRow } from './vjp.js';

export type ParamKind =
  | 'number' // any finite double, further limited by `min`
  | 'boolean'
  | 'axis' // an integer; range is checked against the data's rank when applied
  | 'numbers'; // a scalar or one value per element of the last axis (prelu's alpha)

export type ParamValue = number | boolean | null | Float64Array;

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  /** undefined: required. null: "none", the parameter is off (relu's max_value). */
  readonly default?: number | boolean | null;
  /** Other libraries' names for the same parameter (Keras 3's negative_slope for alpha). */
  readonly aliases?: readonly string[];
  /** Inclusive lower bound; values below it are refused as Keras refuses them. */
  readonly min?: number;
  readonly doc: string;
}

export type BoundParams = Readonly<Record<string, ParamValue>>;

export interface ElementwiseKernel {
  readonly kind: 'elementwise';
  /** dst[i] = f(src[i]) for start <= i < end. dst may be src. */
  map(src: Float64Array, dst: Float64Array, start: number, end: number): void;
  /**
   * Set when a parameter varies along the last axis (prelu with one alpha per column):
   * map must then be called on whole rows of exactly `width` values, starting at a row start.
   */
  readonly width?: number;
}

export interface AxisKernel {
  readonly kind: 'axiswise';
  /** As given: negative counts from the end. */
  readonly axis: number;
  /** Output length along the axis for an input length n (glu halves it); throws ActivError when n is not allowed. */
  outLength(n: number): number;
  /**
   * One vector along the axis: n inputs at src[so + k*ss], outLength(n) outputs at dst[dso + k*ds].
   * dst may be src only with the same offset and stride and outLength(n) === n.
   */
  vector(src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void;
  /**
   * The same activation down the columns of a table that streams by rows (axis 0), in passes the
   * caller drives, with memory per column only. Undefined where that cannot be done (glu).
   */
  columns?(width: number): ColumnRun | undefined;
}

/**
 * Protocol: while (run.wantsPass()) { for each row: run.observe(row, at); run.endPass(); }
 * then for each row again, in the same order: run.emit(row, at, out, outAt).
 * Every row holds exactly `width` values; the results equal the in-memory kernel's.
 */
export interface ColumnRun {
  wantsPass(): boolean;
  observe(row: Float64Array, start: number): void;
  endPass(): void;
  emit(row: Float64Array, start: number, out: Float64Array, outStart: number): void;
}

export type Kernel = ElementwiseKernel | AxisKernel;

/** The vector-Jacobian product of an axis-wise activation (derivatives: gradients.ts, vjp.ts). */
export interface VjpKernel {
  readonly kind: 'vjp';
  /** As given: negative counts from the end. */
  readonly axis: number;
  /** The cotangent's length along the axis for an input length n: the output's (glu halves it). */
  outLength(n: number): number;
  /** g = v^T J(x) for one vector; out has the input's length. */
  vjp(row: VjpRow): void;
}

/** How the derivative is defined, for describe: formula, kinks as TensorFlow gives them, PyTorch's where it differs. */
export interface DerivativeDoc {
  readonly formula: string;
  readonly kinks?: string;
  readonly pytorch?: string;
}

/** An activation without its derivative: what names.ts finds (the quick path needs no more). */
export interface ValueSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly family: 'elementwise' | 'axiswise';
  readonly params: readonly ParamSpec[];
  /** One line, plain text. */
  readonly formula: string;
  /** Where the definition comes from, and how it differs from other libraries' if it does. */
  readonly origin: string;
  /** A command line that shows it, with its output. */
  readonly example?: string;
  /** Check and complete the parameters; throws ActivError (usage) before any data is touched. */
  bind(params?: Readonly<Record<string, unknown>>): Kernel;
}

/** An activation with its derivative (registry.ts): what the command line and the library use. */
export interface ActivationSpec extends ValueSpec {
  /** The derivative with the same parameters: an element-wise kernel of dy/dx, or the axis-wise VJP. */
  bindGrad(params?: Readonly<Record<string, unknown>>): ElementwiseKernel | VjpKernel;
  readonly derivative: DerivativeDoc;
}

/**
 * `--grad` and `--cotangent FILE` on the command line. Element-wise: the derivative's kernel goes
 * through the pipeline in place of the activation's, so it streams like the activation itself
 * (worker threads bind the same derivative from the recipe's grad flag). Axis-wise: the cotangent
 * file is read first through the same pipeline (its vectors along the axis, in memory), then the
 * input runs through a kernel that takes, for its k-th vector, the k-th cotangent vector and
 * writes the vector-Jacobian product, in the input's format, held until the shapes are known to
 * match (so a mismatch leaves no partial output).
 */
import { Writable } from 'node:stream';
import { ActivError } from '../errors.js';
import { needsCotangent } from '../tensor.js';
import { fileInput, Sink, type Input } from '../io/streams.js';
import type { ActivationSpec, AxisKernel, ElementwiseKernel, VjpKernel } from '../kernels/spec.js';
import { runPipeline, type Plan } from '../pipeline/index.js';

/** What the pipeline runs under --grad: dy/dx in place of the activation, or the VJP over a stored cotangent. */
export type GradPlan = { readonly derivative: ElementwiseKernel } | { readonly vjp: VjpKernel; readonly cotangent: string };

/** Check --grad and --cotangent against the activation; undefined without --grad. Usage errors say what to do. */
export function gradPlan(spec: ActivationSpec, params: Readonly<Record<string, unknown>>, grad: boolean, cotangent: string | undefined): GradPlan | undefined {
  if (!grad) {
    if (cotangent !== undefined) throw new ActivError('--cotangent goes with --grad: it is the output gradient the vector-Jacobian product takes');
    return undefined;
  }
  // the catalogue's family says which derivative bindGrad gives (the kernel itself is not asked)
  if (spec.family === 'elementwise') {
    if (cotangent !== undefined) throw new ActivError(`${spec.name} is element-wise: --grad writes dy/dx itself; --cotangent is for the axis-wise activations`);
    return { derivative: spec.bindGrad(params) as ElementwiseKernel };
  }
  if (cotangent === undefined) throw new ActivError(needsCotangent(spec.name));
  return { vjp: spec.bindGrad(params) as VjpKernel, cotangent };
}

/** A kernel that records every vector it is given (and passes it through). */
function recorder(axis: number, into: Float64Array[]): AxisKernel {
  return {
    kind: 'axiswise',
    axis,
    outLength: (n) => n,
    vector(src, so, ss, dst, dso, ds, n) {
      const v = new Float64Array(n);
      for (let k = 0, i = so, o = dso; k < n; k++, i += ss, o += ds) {
        v[k] = src[i];
        dst[o] = src[i];
      }
      into.push(v);
    },
  };
}

/** The VJP as an axis kernel over the recorded cotangent vectors, consumed in order. */
function vjpOver(kernel: VjpKernel, vectors: readonly Float64Array[], name: string): AxisKernel & { used(): number } {
  let k = 0;
  return {
    kind: 'axiswise',
    axis: kernel.axis,
    outLength: (n) => n,
    vector(src, so, ss, dst, dso, ds, n) {
      const v = vectors[k];
      const m = kernel.outLength(n);
      if (!v) {
        k++; // counted, to say how many the input has; the output is dropped
        return;
      }
      if (v.length !== m) {
        throw new ActivError(`${name} --grad: vector ${k + 1} along the axis has ${n} values, so its cotangent needs ${m}, but it has ${v.length}; the cotangent must have the output's shape`);
      }
      k++;
      kernel.vjp({ x: { data: src, offset: so, stride: ss }, v: { data: v, offset: 0, stride: 1 }, out: { data: dst, offset: dso, stride: ds }, n });
    },
    used: () => k,
  };
}

/** A sink that keeps what is written in memory (or drops it). */
function memorySink(name: string, into?: Buffer[]): Sink {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      into?.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return new Sink(stream, name);
}

/**
 * The vector-Jacobian product of the input against the cotangent file, written like the
 * activation would be. Both are read with the same options (columns, header, delimiter); the
 * general lane only, since the worker threads cannot hold the cotangent.
 */
export async function runVjp(grad: Extract<GradPlan, { vjp: VjpKernel }>, inputs: readonly Input[], plan: Plan, sink: Sink): Promise<void> {
  const kernel = grad.vjp;
  const name = plan.kernel.name;
  const vectors: Float64Array[] = [];
  // The general lane only: worker threads cannot hold the cotangent.
  const general = { ...plan.read, lane: 'general' as const };
  const quiet: Plan = {
    read: { ...general, from: undefined, onInvalid: 'fail' },
    write: { ...plan.write, to: undefined },
    report: { note: () => {}, skipped: 0, nonfinite: 0 },
    kernel: { name, kernel: recorder(kernel.axis, vectors) },
  };
  await runPipeline([fileInput(grad.cotangent!)], quiet, memorySink('cotangent'));
  const vjp = vjpOver(kernel, vectors, name);
  // held until the shapes are known to match, so a mismatch leaves no partial output
  const held: Buffer[] = [];
  const holding = memorySink(sink.name, held);
  await runPipeline(inputs, { ...plan, read: general, kernel: { name, kernel: vjp } }, holding);
  await holding.finish(false);
  if (vjp.used() !== vectors.length) {
    throw new ActivError(`${name} --grad: the cotangent has ${vectors.length} vectors along the axis but the input has ${vjp.used()}; the cotangent must have the output's shape`);
  }
  sink.write(Buffer.concat(held).toString('utf8'));
}

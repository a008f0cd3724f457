/**
 * The derivative of every activation in the catalogue, by name: how to bind it (an element-wise
 * kernel of dy/dx, or the axis-wise vector-Jacobian product) and how describe documents it.
 *
 * Kinks and edges take the value TensorFlow's registered gradients give for the Keras definition
 * (Keras 2's backend for Keras 2 activations, Keras 3's TensorFlow backend for the others):
 * ReluGrad and Relu6Grad select on 0 < x (< 6), LeakyReluGrad on x > 0, EluGrad and SeluGrad on
 * the activation being < 0, Maximum/Minimum (so clip_by_value) pass the gradient on ties, where()
 * passes it to the branch it selected, cast() passes none. PyTorch's autograd values are noted
 * where they differ (its *_backward kernels: hardtanh 0 at both bounds, hardswish -0.5 at -3 and
 * 1.5 at 3, elu with scale * alpha at 0, prelu weight at 0).
 */
import * as d from './derivatives.js';
import { gluOutLength } from './axiswise.js';
import { gluVjp, logSoftmaxVjp, softmaxVjp, sparsemaxVjp, type VjpRow } from './vjp.js';
import { mapper, perColumn } from './mappers.js';
import type { BoundParams, DerivativeDoc, ElementwiseKernel, VjpKernel } from './spec.js';

export interface GradEntry extends DerivativeDoc {
  make(p: BoundParams): ElementwiseKernel | VjpKernel;
}

/** The derivative f(x, p[key]) of an activation with one numeric parameter. */
function withParam(key: string, f: (x: number, a: number) => number): (p: BoundParams) => ElementwiseKernel {
  return (p) => {
    const a = p[key] as number;
    return mapper((x) => f(x, a));
  };
}

function vjpKernel(axis: unknown, vjp: (row: VjpRow) => void, outLength: (n: number) => number = (n) => n): VjpKernel {
  return { kind: 'vjp', axis: axis as number, outLength, vjp };
}

const num = (p: BoundParams, k: string): number => p[k] as number;

const SHRINK = 'at +-threshold 0 (TensorFlow: where() picks the constant; PyTorch: the same)';

export const GRADIENTS: Readonly<Record<string, GradEntry>> = {
  softmax: {
    formula: 'vector-Jacobian product g_i = y_i (v_i - sum_j y_j v_j), y = softmax(x), v the cotangent',
    make: (p) => vjpKernel(p.axis, (r) => softmaxVjp(1, r)),
  },
  softmin: {
    formula: 'vector-Jacobian product g_i = -y_i (v_i - sum_j y_j v_j), y = softmin(x)',
    make: (p) => vjpKernel(p.axis, (r) => softmaxVjp(-1, r)),
  },
  log_softmax: {
    formula: 'vector-Jacobian product g_i = v_i - softmax(x)_i sum_j v_j',
    make: (p) => vjpKernel(p.axis, logSoftmaxVjp),
  },
  glu: {
    formula: 'vector-Jacobian product g_a = v sigmoid(b), g_b = v a sigmoid(b) (1 - sigmoid(b)); v has half the axis',
    make: (p) => vjpKernel(p.axis, gluVjp, gluOutLength),
  },
  sparsemax: {
    formula: 'vector-Jacobian product g_i = v_i - mean(v over the support) on the support (y_i > 0), 0 off it',
    make: (p) => vjpKernel(p.axis, sparsemaxVjp),
  },
  elu: {
    formula: '1 if x > 0 else alpha * exp(x)',
    kinks: 'at 0 alpha (Keras 2: where(x > 0, elu, alpha * elu); PyTorch elu_backward: alpha too)',
    make: withParam('alpha', d.elu),
  },
  selu: {
    formula: 'scale if x > 0 else scale * alpha * exp(x)',
    kinks: 'at 0 scale = 1.0507009873554805 (SeluGrad: activation < 0 is false)',
    pytorch: 'at 0 scale * alpha = 1.7580993408473768 (elu_backward: x <= 0)',
    make: () => mapper(d.selu),
  },
  softplus: { formula: 'sigmoid(x)', make: () => mapper(d.softplus) },
  softsign: { formula: '1 / (1 + abs(x))^2', make: () => mapper(d.softsign) },
  relu: {
    formula: "1 where the clipped part passes x, plus alpha below the threshold (each of keras.backend.relu's steps)",
    kinks:
      'at the threshold 0 (+ nothing from the leak); with only alpha set, alpha at 0 (nn.leaky_relu); with max_value 6 and threshold 0 (nn.relu6) 0 at 6, with another max_value 1 at max_value (clip_by_value passes ties)',
    pytorch: 'relu 0 at 0, leaky_relu alpha at 0, relu6 0 at 6 (hardtanh_backward)',
    make: (p) => {
      const a = num(p, 'alpha');
      const mv = p.max_value as number | null;
      const t = num(p, 'threshold');
      return mapper((x) => d.relu(x, a, mv, t));
    },
  },
  tanh: { formula: '1 - tanh(x)^2', make: () => mapper(d.tanh) },
  sigmoid: { formula: 'sigmoid(x) (1 - sigmoid(x))', make: () => mapper(d.sigmoid) },
  hard_sigmoid: {
    formula: '0.2 if -2.5 <= x <= 2.5 else 0',
    kinks: 'at +-2.5 0.2 (clip_by_value passes ties)',
    make: () => mapper(d.hardSigmoid),
  },
  exponential: { formula: 'exp(x)', make: () => mapper(d.exponential) },
  linear: { formula: '1', make: () => mapper(d.linear) },
  leaky_relu: {
    formula: '1 if x > 0 else alpha',
    kinks: 'at 0 alpha (LeakyReluGrad; PyTorch leaky_relu_backward: alpha too)',
    make: withParam('alpha', d.leakyRelu),
  },
  prelu: {
    formula: '1 if x > 0 else alpha (per column)',
    kinks: "at 0 0 (Keras 2's PReLU is relu(x) - alpha * relu(-x))",
    pytorch: 'at 0 alpha (prelu backward: input > 0 ? grad : weight * grad)',
    make: (p) => {
      const alpha = p.alpha;
      if (typeof alpha === 'number') return mapper((x) => d.prelu(x, alpha));
      return perColumn(alpha as Float64Array, d.prelu);
    },
  },
  thresholded_relu: {
    formula: '1 if x > theta else 0',
    kinks: 'at theta 0 (x * cast(x > theta); PyTorch threshold_backward: 0 too)',
    make: withParam('theta', d.stepAbove),
  },
  relu6: {
    formula: '1 if 0 < x < 6 else 0',
    kinks: 'at 0 and 6 0 (Relu6Grad; PyTorch hardtanh_backward: 0 too)',
    make: () => mapper(d.relu6),
  },
  silu: { formula: 'sigmoid(x) (1 + x (1 - sigmoid(x)))', make: () => mapper(d.silu) },
  gelu: {
    formula: 'Phi(x) + x phi(x); approximate: s + x s (1 - s) w\', s = sigmoid(w), w = 2 sqrt(2/pi) (x + 0.044715 x^3)',
    make: (p) => mapper(p.approximate ? d.geluTanh : d.geluExact),
  },
  celu: {
    formula: '1 if x >= 0 else exp(x / alpha)',
    kinks: 'none: smooth at 0 (1 from both sides); TensorFlow gives 2 there (maximum and minimum both pass the tie)',
    make: withParam('alpha', d.celu),
  },
  hard_silu: {
    formula: '0 if x < -3, (2x + 3) / 6 if -3 < x < 3, 1 if x > 3',
    kinks: 'at -3 0 and at 3 1 (x * relu6(x + 3) / 6 with Relu6Grad 0 at both)',
    pytorch: 'at -3 -0.5 and at 3 1.5 (hardswish_backward: x < -3 ? 0 : x <= 3 ? x/3 + 0.5 : 1)',
    make: () => mapper(d.hardSilu),
  },
  hard_tanh: {
    formula: '1 if -1 <= x <= 1 else 0',
    kinks: 'at +-1 1 (clip_by_value passes ties)',
    pytorch: 'at +-1 0 (hardtanh_backward)',
    make: () => mapper(d.hardTanh),
  },
  mish: { formula: 'tanh(softplus(x)) + x sech(softplus(x))^2 sigmoid(x)', make: () => mapper(d.mish) },
  log_sigmoid: { formula: 'sigmoid(-x)', make: () => mapper(d.logSigmoid) },
  soft_shrink: {
    formula: '1 if abs(x) > threshold else 0',
    kinks: SHRINK,
    make: withParam('threshold', d.outside),
  },
  hard_shrink: {
    formula: '1 if abs(x) > threshold else 0',
    kinks: SHRINK,
    make: withParam('threshold', d.outside),
  },
  tanh_shrink: { formula: 'tanh(x)^2', make: () => mapper(d.tanhShrink) },
  squareplus: {
    formula: '(1 + x / sqrt(x^2 + b)) / 2',
    kinks: 'with b = 0 NaN at 0 (sqrt\'s gradient 0.5 / 0 times square\'s 0; PyTorch: NaN too)',
    make: withParam('b', d.squareplus),
  },
  sparse_plus: { formula: '0 if x <= -1, 1 if x >= 1, else (x + 1) / 2', make: () => mapper(d.sparsePlus) },
  sparse_sigmoid: {
    formula: '1/2 if -1 < x < 1 else 0',
    kinks: 'at +-1 0 (where() picks the constants)',
    make: () => mapper(d.sparseSigmoid),
  },
  threshold: {
    formula: '1 if x > threshold else 0',
    kinks: 'at the threshold 0 (where(x > threshold, ...); PyTorch threshold_backward: 0 too)',
    make: withParam('threshold', d.stepAbove),
  },
};

/** The entry for a catalogue name; every activation has one (a test holds that). */
export function gradEntry(name: string): GradEntry {
  const g = GRADIENTS[name];
  if (!g) throw new Error(`no derivative for ${name}`);
  return g;
}

/**
 * The catalogue: every activation with its parameters, formula and origin, and how to bind it to
 * a kernel. Adding an activation means a scalar function in elementwise.ts (or a vector function
 * in axiswise.ts), one entry here and its derivative in gradients.ts (registry.ts joins the two;
 * the quick path's bundle loads this file without gradients.ts).
 */
import { ActivError } from '../errors.js';
import * as ax from './axiswise.js';
import { columnRun } from './columns.js';
import { mapper, perColumn } from './mappers.js';
import * as ew from './elementwise.js';
import { bindParams } from './params.js';
import type { AxisKernel, BoundParams, Kernel, ParamSpec, ValueSpec } from './spec.js';


type VectorFn = AxisKernel['vector'];

function axisKernel(name: string, axis: number, vector: VectorFn, outLength: (n: number) => number = (n) => n): AxisKernel {
  return {
    kind: 'axiswise',
    axis,
    outLength,
    vector,
    columns: (width: number) => columnRun(name, width),
  };
}

const num = (p: BoundParams, k: string): number => p[k] as number;

const AXIS: ParamSpec = { name: 'axis', kind: 'axis', default: -1, doc: 'axis along which to normalise; negative counts from the end' };

interface Entry {
  name: string;
  aliases?: string[];
  params?: ParamSpec[];
  formula: string;
  origin: string;
  example?: string;
  make(p: BoundParams): Kernel;
}

const KERAS = 'Keras 2 (keras.activations)';
const KERAS3 = 'Keras 3 (keras.activations)';

const ENTRIES: Entry[] = [
  // ---- Keras activations
  {
    name: 'softmax',
    params: [AXIS],
    formula: 'exp(x - max(x)) / sum(exp(x - max(x))) along axis',
    origin: `${KERAS}; a 1-D input is refused as Keras 2 refuses it`,
    example: 'activ softmax 1 2 3  ->  0.09003057317038046 0.24472847105479764 0.6652409557748218',
    make: (p) => axisKernel('softmax', num(p, 'axis'), (s, so, ss, d, dso, ds, n) => ax.softmaxVector(1, s, so, ss, d, dso, ds, n)),
  },
  {
    name: 'elu',
    params: [{ name: 'alpha', kind: 'number', default: 1, doc: 'scale of the negative part' }],
    formula: 'x if x > 0 else alpha * (exp(x) - 1)',
    origin: KERAS,
    make: (p) => {
      const a = num(p, 'alpha');
      return mapper((x) => ew.elu(x, a));
    },
  },
  {
    name: 'selu',
    formula: 'scale * (x if x > 0 else alpha * (exp(x) - 1)), alpha = 1.6732632423543772848, scale = 1.0507009873554804934',
    origin: `${KERAS} (Klambauer et al. 2017)`,
    make: () => mapper(ew.selu),
  },
  { name: 'softplus', formula: 'log(exp(x) + 1)', origin: KERAS, make: () => mapper(ew.softplus) },
  { name: 'softsign', formula: 'x / (abs(x) + 1)', origin: KERAS, make: () => mapper(ew.softsign) },
  {
    name: 'relu',
    params: [
      { name: 'alpha', kind: 'number', default: 0, min: 0, aliases: ['negative_slope'], doc: 'slope below the threshold (Keras 3: negative_slope)' },
      { name: 'max_value', kind: 'number', default: null, min: 0, doc: 'upper clip; none for no clip' },
      { name: 'threshold', kind: 'number', default: 0, doc: 'values at or below it are zeroed (then leak with alpha)' },
    ],
    formula: 'y = x if x > threshold else 0; y = clip(y, 0, max_value) if max_value set; y -= alpha * max(threshold - x, 0)',
    origin: `${KERAS} (keras.backend.relu, in its order of execution); the ReLU layer's checks: alpha >= 0, max_value >= 0`,
    example: "activ 'relu(alpha=0.1, max_value=6)' -- -10 3 10  ->  -1 3 6",
    make: (p) => {
      const a = num(p, 'alpha');
      const mv = p.max_value as number | null;
      const t = num(p, 'threshold');
      return mapper((x) => ew.relu(x, a, mv, t));
    },
  },
  { name: 'tanh', formula: 'tanh(x)', origin: KERAS, make: () => mapper(ew.tanh) },
  { name: 'sigmoid', formula: '1 / (1 + exp(-x))', origin: KERAS, make: () => mapper(ew.sigmoid) },
  {
    name: 'hard_sigmoid',
    formula: 'clip(0.2 * x + 0.5, 0, 1)',
    origin: `${KERAS}; Keras 3 and PyTorch's hardsigmoid use x/6 + 0.5, a different function`,
    make: () => mapper(ew.hardSigmoid),
  },
  { name: 'exponential', formula: 'exp(x)', origin: KERAS, make: () => mapper(ew.exponential) },
  { name: 'linear', aliases: ['identity'], formula: 'x', origin: KERAS, make: () => mapper(ew.linear) },

  // ---- Keras advanced activation layers
  {
    name: 'leaky_relu',
    aliases: ['LeakyReLU'],
    params: [{ name: 'alpha', kind: 'number', default: 0.3, min: 0, aliases: ['negative_slope'], doc: 'slope for x < 0 (Keras 3: negative_slope)' }],
    formula: 'x if x > 0 else alpha * x',
    origin: 'Keras 2 LeakyReLU layer (default alpha 0.3)',
    make: (p) => {
      const a = num(p, 'alpha');
      return mapper((x) => ew.leakyRelu(x, a));
    },
  },
  {
    name: 'prelu',
    aliases: ['PReLU'],
    params: [{ name: 'alpha', kind: 'numbers', doc: 'a scalar, or one slope per element of the last axis (per column)' }],
    formula: 'relu(x) - alpha * relu(-x), alpha per element of the last axis',
    origin: 'Keras 2 PReLU layer, with its learned alpha given as a parameter',
    make: (p) => {
      const alpha = p.alpha;
      if (typeof alpha === 'number') return mapper((x) => ew.leakyRelu(x, alpha));
      return perColumn(alpha as Float64Array, ew.leakyRelu);
    },
  },
  {
    name: 'thresholded_relu',
    aliases: ['ThresholdedReLU'],
    params: [{ name: 'theta', kind: 'number', default: 1, min: 0, doc: 'threshold' }],
    formula: 'x if x > theta else 0',
    origin: 'Keras 2 ThresholdedReLU layer',
    make: (p) => {
      const t = num(p, 'theta');
      return mapper((x) => ew.thresholdedRelu(x, t));
    },
  },

  // ---- the modern set (Keras 3 / PyTorch)
  { name: 'relu6', formula: 'min(max(x, 0), 6)', origin: `${KERAS3}; torch relu6`, make: () => mapper(ew.relu6) },
  {
    name: 'silu',
    aliases: ['swish'],
    formula: 'x * sigmoid(x)',
    origin: `${KERAS3}; torch silu`,
    make: () => mapper(ew.silu),
  },
  {
    name: 'gelu',
    params: [{ name: 'approximate', kind: 'boolean', default: false, doc: "true: the tanh form ('tanh' in PyTorch)" }],
    formula: '0.5 x (1 + erf(x / sqrt 2)); approximate: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))',
    origin: `${KERAS3}: default approximate=false, as here and in PyTorch (keras.ops.gelu defaults to approximate=true)`,
    make: (p) => mapper(p.approximate ? ew.geluTanh : ew.geluExact),
  },
  {
    name: 'celu',
    params: [{ name: 'alpha', kind: 'number', default: 1, doc: 'scale; nonzero' }],
    formula: 'max(0, x) + min(0, alpha * (exp(x / alpha) - 1))',
    origin: `${KERAS3}; torch celu`,
    make: (p) => {
      const a = num(p, 'alpha');
      if (a === 0) throw new ActivError('celu: alpha must not be 0 (it divides x)');
      return mapper((x) => ew.celu(x, a));
    },
  },
  {
    name: 'hard_silu',
    aliases: ['hard_swish'],
    formula: 'x * relu6(x + 3) / 6',
    origin: `${KERAS3}; torch hardswish`,
    make: () => mapper(ew.hardSilu),
  },
  { name: 'hard_tanh', aliases: ['hardtanh'], formula: 'clip(x, -1, 1)', origin: `${KERAS3}; torch hardtanh`, make: () => mapper(ew.hardTanh) },
  { name: 'mish', formula: 'x * tanh(softplus(x))', origin: `${KERAS3}; torch mish (Misra 2019)`, make: () => mapper(ew.mish) },
  {
    name: 'log_sigmoid',
    aliases: ['logsigmoid'],
    formula: 'log(sigmoid(x)) = -softplus(-x)',
    origin: `${KERAS3}; torch logsigmoid`,
    make: () => mapper(ew.logSigmoid),
  },
  {
    name: 'log_softmax',
    aliases: ['LogSoftmax'],
    params: [AXIS],
    formula: 'x - max(x) - log(sum(exp(x - max(x)))) along axis',
    origin: `${KERAS3}; torch log_softmax`,
    make: (p) => axisKernel('log_softmax', num(p, 'axis'), (s, so, ss, d, dso, ds, n) => ax.logSoftmaxVector(1, s, so, ss, d, dso, ds, n)),
  },
  {
    name: 'softmin',
    params: [AXIS],
    formula: 'softmax(-x) along axis',
    origin: 'torch softmin',
    make: (p) => axisKernel('softmin', num(p, 'axis'), (s, so, ss, d, dso, ds, n) => ax.softmaxVector(-1, s, so, ss, d, dso, ds, n)),
  },
  {
    name: 'soft_shrink',
    aliases: ['softshrink'],
    params: [{ name: 'threshold', kind: 'number', default: 0.5, min: 0, doc: 'lambda' }],
    formula: 'x - threshold if x > threshold, x + threshold if x < -threshold, else 0',
    origin: `${KERAS3}; torch softshrink`,
    make: (p) => {
      const t = num(p, 'threshold');
      return mapper((x) => ew.softShrink(x, t));
    },
  },
  {
    name: 'hard_shrink',
    aliases: ['hardshrink'],
    params: [{ name: 'threshold', kind: 'number', default: 0.5, min: 0, doc: 'lambda' }],
    formula: 'x if abs(x) > threshold else 0',
    origin: `${KERAS3}; torch hardshrink`,
    make: (p) => {
      const t = num(p, 'threshold');
      return mapper((x) => ew.hardShrink(x, t));
    },
  },
  { name: 'tanh_shrink', aliases: ['tanhshrink'], formula: 'x - tanh(x)', origin: `${KERAS3}; torch tanhshrink`, make: () => mapper(ew.tanhShrink) },
  {
    name: 'squareplus',
    params: [{ name: 'b', kind: 'number', default: 4, min: 0, doc: 'smoothness; 0 gives relu' }],
    formula: '(x + sqrt(x^2 + b)) / 2',
    origin: `${KERAS3} (Barron 2021)`,
    make: (p) => {
      const b = num(p, 'b');
      return mapper((x) => ew.squareplus(x, b));
    },
  },
  {
    name: 'sparse_plus',
    formula: '0 if x <= -1, x if x >= 1, else (x + 1)^2 / 4',
    origin: KERAS3,
    make: () => mapper(ew.sparsePlus),
  },
  {
    name: 'sparse_sigmoid',
    formula: '0 if x <= -1, 1 if x >= 1, else (x + 1) / 2',
    origin: KERAS3,
    make: () => mapper(ew.sparseSigmoid),
  },
  {
    name: 'threshold',
    params: [
      { name: 'threshold', kind: 'number', doc: 'values at or below it are replaced' },
      { name: 'default_value', kind: 'number', doc: 'the replacement' },
    ],
    formula: 'x if x > threshold else default_value',
    origin: `${KERAS3}; torch threshold (its 'value')`,
    make: (p) => {
      const t = num(p, 'threshold');
      const v = num(p, 'default_value');
      return mapper((x) => ew.threshold(x, t, v));
    },
  },
  {
    name: 'glu',
    params: [AXIS],
    formula: 'a * sigmoid(b) where a, b are the first and second halves along axis',
    origin: `${KERAS3}; torch glu (Dauphin et al. 2017); an odd-sized axis is an error`,
    make: (p) => axisKernel('glu', num(p, 'axis'), ax.gluVector, ax.gluOutLength),
  },
  {
    name: 'sparsemax',
    params: [AXIS],
    formula: 'max(x - tau, 0) with tau such that the outputs sum to 1 (Euclidean projection on the simplex)',
    origin: 'Martins & Astudillo 2016, the textbook algorithm; Keras 3 (keras.activations.sparsemax) gave other values when the support had more than one element until keras-team/keras#23469 (August 2026)',
    example: 'activ sparsemax 0.5 0.4  ->  0.55 0.45',
    make: (p) => axisKernel('sparsemax', num(p, 'axis'), ax.sparsemaxVector),
  },
];

export const SPECS: readonly ValueSpec[] = ENTRIES.map((e) => {
  const params = e.params ?? [];
  const family = e.make(defaultsOrProbe(params)).kind;
  return Object.freeze({
    name: e.name,
    aliases: e.aliases ?? [],
    family,
    params,
    formula: e.formula,
    origin: e.origin,
    example: e.example,
    bind: (given?: Readonly<Record<string, unknown>>) => e.make(bindParams(e.name, params, given)),
  } satisfies ValueSpec);
});

/** Any valid parameters, only to learn an entry's family at load time. */
function defaultsOrProbe(params: readonly ParamSpec[]): BoundParams {
  const p: Record<string, number | boolean | null> = {};
  for (const s of params) p[s.name] = s.default === undefined ? 1 : s.default;
  return p;
}

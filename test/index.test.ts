import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { ActivError, catalogue, evaluate, fromTensor, lookup, toTensor, type Nested, type Tensor } from '../src/index.js';
import { thrown } from './support.js';


describe('public surface', () => {
  test('exports the lookup, catalogue, evaluate, tensor helpers and the error class', () => {
    for (const name of ['evaluate', 'toTensor', 'fromTensor', 'lookup', 'catalogue', 'applyKernel', 'resolveAxis', 'ActivError', 'exitCodeFor']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(lookup('swish').name).toBe('silu');
    expect(catalogue().length).toBeGreaterThanOrEqual(33);
    for (const s of catalogue()) {
      expect(typeof s.formula).toBe('string');
      expect(Array.isArray(s.params)).toBe(true);
    }
  });
  test('exitCodeFor maps usage to 2 and data/io to 1', () => {
    expect(api.exitCodeFor('usage')).toBe(2);
    expect(api.exitCodeFor('data')).toBe(1);
    expect(api.exitCodeFor('io')).toBe(1);
    expect(new ActivError('x').kind).toBe('usage');
    expect(new ActivError('x').name).toBe('ActivError');
  });
});

describe('evaluate', () => {
  test('on a number gives a number', () => {
    expect(evaluate('relu', -2)).toBe(0);
    expect(evaluate('relu', 2.5)).toBe(2.5);
    expect(evaluate('tanh', 0)).toBe(0);
    expect(evaluate('sigmoid', 0)).toBe(0.5);
    expect(evaluate('leaky_relu', -10, { alpha: 0.1 })).toBe(-1);
  });

  test('on a 1-D array gives an array', () => {
    expect(evaluate('relu', [-1, 2, 7], { max_value: 6 })).toEqual([0, 2, 6]);
    expect(evaluate('LeakyReLU', [-1, 1])).toEqual([-0.3, 1]);
    expect(evaluate('linear', [])).toEqual([]);
  });

  test('on nested arrays keeps the shape', () => {
    expect(evaluate('relu', [[-1, 2], [3, -4]])).toEqual([[0, 2], [3, 0]]);
    expect(evaluate('relu', [[[-1], [2]], [[3], [-4]]])).toEqual([[[0], [2]], [[3], [0]]]);
    const sm = evaluate('softmax', [[1, 2, 3]]) as number[][];
    expect(sm.length).toBe(1);
    expect(sm[0].length).toBe(3);
    expect(sm[0][0]).toBeCloseTo(0.09003057317038046, 15);
    expect(sm[0][2]).toBeCloseTo(0.6652409557748219, 15);
    // softmax([0, 5]) = [1/(1+e^5), 1/(1+e^-5)] (mpmath: 0.0066928509242848554, 0.9933071490757153), down each column
    const lo = expect.closeTo(0.0066928509242848554, 17);
    const hi = expect.closeTo(0.9933071490757153, 15);
    expect(evaluate('softmax', [[0, 0], [5, 5]], { axis: 0 })).toEqual([[lo, lo], [hi, hi]]);
    expect(evaluate('softmax', [[0, 5], [0, 5]], { axis: -1 })).toEqual([[lo, hi], [lo, hi]]);
    expect(evaluate('glu', [[1, 2, 0, 0]])).toEqual([[0.5, 1]]);
    expect(evaluate('glu', [[1, 2], [0, 0]], { axis: 0 })).toEqual([[0.5, 1]]);
  });

  test('on a {data, shape} tensor gives a tensor', () => {
    const t: Tensor = { data: Float64Array.from([-1, 2, -3, 4, -5, 6]), shape: [2, 3] };
    const out = evaluate('relu', t);
    expect(out.shape).toEqual([2, 3]);
    expect(out.data).toBeInstanceOf(Float64Array);
    expect(Array.from(out.data)).toEqual([0, 2, 0, 4, 0, 6]);
    expect(Array.from(t.data)).toEqual([-1, 2, -3, 4, -5, 6]);
    const sm = evaluate('softmax', { data: Float64Array.from([7, 7, 0, 0]), shape: [2, 2] });
    expect(Array.from(sm.data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    const g = evaluate('glu', { data: Float64Array.from([1, 2, 0, 0]), shape: [1, 4] });
    expect(g.shape).toEqual([1, 2]);
    const scalar = evaluate('exponential', { data: Float64Array.from([0]), shape: [] });
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([1]);
  });

  test('softmax on a 1-D array is refused with the Keras message', () => {
    const e = thrown(() => evaluate('softmax', [1, 2, 3]));
    expect(e.kind).toBe('data');
    expect(e.message).toContain('Cannot apply softmax to a tensor that is 1D');
    expect(thrown(() => evaluate('Softmax', { data: Float64Array.from([1, 2]), shape: [2] })).message).toContain('1D');
  });

  test.each<[string, unknown]>([
    ['ragged rows', [[1, 2], [3]]],
    ['ragged, longer second row', [[1], [2, 3]]],
    ['ragged depth', [1, [2]]],
    ['ragged depth, array first', [[1], 2]],
    ['ragged at depth 2', [[[1, 2]], [[3]]]],
    ['a string', ['1']],
    ['a nested string', [[1, '2']]],
    ['null', [null]],
    ['a boolean', [true]],
    ['an object', [{}]],
    ['undefined', [undefined]],
    ['a bare string', 'abc'],
  ])('%s is a data error', (_, input) => {
    const e = thrown(() => evaluate('relu', input as Nested));
    expect(e.kind).toBe('data');
    expect(e.message).toMatch(/input/);
  });

  test('a bad tensor is a data error', () => {
    expect(thrown(() => evaluate('relu', { data: Float64Array.from([1, 2, 3]), shape: [2, 2] })).kind).toBe('data');
    expect(thrown(() => evaluate('relu', { data: [1, 2] as unknown as Float64Array, shape: [2] })).kind).toBe('data');
  });

  test('unknown names and bad parameters are usage errors, raised before the data is looked at', () => {
    expect(thrown(() => evaluate('sigmod', [1])).kind).toBe('usage');
    // the input is ragged too: the usage error must win, since parameters are checked first
    expect(thrown(() => evaluate('relu', [[1], [2, 3]], { max_value: -1 })).kind).toBe('usage');
    expect(thrown(() => evaluate('threshold', [1])).kind).toBe('usage');
    expect(thrown(() => evaluate('glu', [[1, 2, 3]], { axis: 0.5 })).kind).toBe('usage');
  });

  test('axis and shape errors are data errors', () => {
    expect(thrown(() => evaluate('log_softmax', [[1, 2]], { axis: 2 })).kind).toBe('data');
    expect(thrown(() => evaluate('glu', [[1, 2, 3]])).kind).toBe('data');
    expect(thrown(() => evaluate('sparsemax', 3)).kind).toBe('data');
    expect(thrown(() => evaluate('prelu', [[1, 2]], { alpha: [0.1, 0.2, 0.3] })).kind).toBe('data');
  });

  test('NaN, ±Infinity and -0 pass through nested arrays', () => {
    const out = evaluate('linear', [NaN, Infinity, -Infinity, -0]) as number[];
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(Infinity);
    expect(out[2]).toBe(-Infinity);
    expect(Object.is(out[3], -0)).toBe(true);
  });
});

describe('toTensor / fromTensor', () => {
  test.each<[string, Nested, number[]]>([
    ['a number', 3.5, []],
    ['an empty array', [], [0]],
    ['a row', [1, 2, 3], [3]],
    ['a matrix', [[1, 2, 3], [4, 5, 6]], [2, 3]],
    ['rank 3', [[[1], [2]], [[3], [4]], [[5], [6]]], [3, 2, 1]],
    ['rank 4', [[[[1, 2]]]], [1, 1, 1, 2]],
    ['an empty row inside', [[]], [1, 0]],
  ])('%s round-trips with shape %j', (_, value, shape) => {
    const t = toTensor(value);
    expect(t.shape).toEqual(shape);
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(t.data.length).toBe(shape.reduce((a, b) => a * b, 1));
    expect(fromTensor(t)).toEqual(value);
  });

  test('values are laid out row-major', () => {
    expect(Array.from(toTensor([[1, 2], [3, 4], [5, 6]]).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fromTensor({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] })).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(fromTensor({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] })).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  test('special values survive the round trip', () => {
    const back = fromTensor(toTensor([NaN, -0, 5e-324, -Infinity])) as number[];
    expect(back[0]).toBeNaN();
    expect(Object.is(back[1], -0)).toBe(true);
    expect(back[2]).toBe(5e-324);
    expect(back[3]).toBe(-Infinity);
  });

  test('ragged input to toTensor is a data error naming where', () => {
    const e = thrown(() => toTensor([[1, 2], [3, 4], [5]]));
    expect(e.kind).toBe('data');
    expect(e.message).toContain('[2]');
    const f = thrown(() => toTensor([[1, 2], [3, 'x' as unknown as number]]));
    expect(f.message).toContain('[1][1]');
  });
});

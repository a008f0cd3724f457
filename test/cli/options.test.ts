import { describe, expect, test } from 'vitest';
import { mergeParams, paramFlags, parseCallForm, preprocessArgv, unwrap } from '../../src/cli/options.js';

describe('parameter flags', () => {
  const flags = paramFlags();
  test('one flag per parameter and alias of the catalogue', () => {
    const names = flags.map((f) => f.flag);
    for (const f of ['--alpha', '--max-value', '--threshold', '--axis', '--theta', '--negative-slope', '--approximate', '--b', '--default-value']) {
      expect(names).toContain(f);
    }
    expect(flags.find((f) => f.flag === '--max-value')).toMatchObject({ key: 'max_value', attr: 'maxValue', boolean: false });
    expect(flags.find((f) => f.flag === '--approximate')?.boolean).toBe(true);
  });
  test('argv: underscores, negative numbers, bare booleans', () => {
    const a = preprocessArgv(['gelu', '--max_value=6', '--approximate', '-1', '-Infinity', '-3', '--alpha', '-0.5'], flags);
    expect(a[1]).toBe('--max-value=6');
    expect(a[2]).toBe('--approximate=true');
    expect(a.slice(3).map(unwrap)).toEqual(['-1', '-Infinity', '-3', '--alpha', '-0.5']);
    expect(a[4]).not.toBe('-Infinity');
    expect(preprocessArgv(['gelu', '--approximate', 'false'], flags)).toEqual(['gelu', '--approximate', 'false']);
    expect(preprocessArgv(['relu', '--', '--x_y'], flags)).toEqual(['relu', '--', '--x_y']);
  });
});

describe('Keras call form', () => {
  test('name and parameters as strings', () => {
    expect(parseCallForm('relu(alpha=0.1, max_value=6)')).toEqual({ name: 'relu', params: { alpha: '0.1', max_value: '6' } });
    expect(parseCallForm("gelu(approximate='tanh')")).toEqual({ name: 'gelu', params: { approximate: 'tanh' } });
    expect(parseCallForm('prelu(alpha=[0.1, 0.2])')).toEqual({ name: 'prelu', params: { alpha: '[0.1, 0.2]' } });
    expect(parseCallForm('softmax()')).toEqual({ name: 'softmax', params: {} });
    expect(parseCallForm('keras.activations.relu(max_value=None)')).toEqual({ name: 'relu', params: { max_value: 'None' } });
    expect(parseCallForm('relu')).toBeUndefined();
  });
  test('malformed calls are usage errors', () => {
    expect(() => parseCallForm('relu(0.1)')).toThrow(/needs a name: write param=value/);
    expect(() => parseCallForm('relu(alpha=1, alpha=2)')).toThrow(/alpha given twice/);
    expect(() => parseCallForm('relu(alpha=1')).toThrow(/expected the form/);
  });
  test('flags and call form together; the same parameter twice is refused', () => {
    expect(mergeParams({ alpha: '1' }, { max_value: '6' })).toEqual({ alpha: '1', max_value: '6' });
    expect(() => mergeParams({ max_value: '1' }, { max_value: '6' })).toThrow(/given twice/);
  });
});

// Origin lines checked against the sources (keras-team/keras v3 activations.py and ops/nn.py, PyTorch).
import { describe, expect, test } from 'vitest';
import { lookup } from '../../src/kernels/registry.js';

describe('origins', () => {
  test('gelu: keras.activations.gelu defaults to approximate=False (as activ and PyTorch); keras.ops.gelu to True', () => {
    const g = lookup('gelu');
    expect(g.params.find((p) => p.name === 'approximate')?.default).toBe(false);
    expect(g.origin).toContain('keras.ops.gelu defaults to approximate=true');
    expect(g.origin).not.toMatch(/Keras 3 defaults to true/);
  });
  test('hard_sigmoid is Keras 2 (0.2x + 0.5); Keras 3 uses x/6 + 0.5', () => {
    expect(lookup('hard_sigmoid').origin).toMatch(/^Keras 2 .*Keras 3 and PyTorch's hardsigmoid use x\/6 \+ 0\.5/);
  });
  test('sparsemax names the Keras fix for supports of more than one element', () => {
    expect(lookup('sparsemax').origin).toContain('keras-team/keras#23469');
  });
});

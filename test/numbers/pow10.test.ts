/** pow10.ts's tables: the written-out powers of ten are the correctly rounded ones. */
import { expect, test } from 'vitest';
import { POW10_ROUNDED } from '../../src/numbers/pow10.js';

test('POW10_ROUNDED[k + 330] is Number(`1e${k}`) for every k in [-330, 310]', () => {
  expect(POW10_ROUNDED.length).toBe(641);
  for (let k = -330; k <= 310; k++) expect(Object.is(POW10_ROUNDED[k + 330], Number(`1e${k}`)), `1e${k}`).toBe(true);
});

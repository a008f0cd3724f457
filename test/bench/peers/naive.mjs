// The peers' activations, written the way a user would write them in a plain Node script
// (one shared copy for the csv-parse and JSON peers).
export const sigmoid = (x) => 1 / (1 + Math.exp(-x));

export function softmax(x) {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** The row function for a mode: softmax of the row, or sigmoid of each value. */
export const rowFunction = (mode) => (mode === 'softmax' ? softmax : (row) => row.map(sigmoid));

/**
 * The number layer: strict, correctly rounded parsing and String(x)-identical formatting,
 * with byte-level variants for the streaming fast lane (no per-value allocation).
 */
export { formatNumber, formatNumberInto, type Digits } from './format.js';
export { formatFixed } from './fixed.js';
export { parseNumber, parseNumberBytes, parseNumberFailed } from './parse.js';

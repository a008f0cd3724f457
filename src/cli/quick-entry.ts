/**
 * What dist/bundle/quick.cjs holds (src/build/bundle.mjs): the quick path (`activ NAME NUMBER...`)
 * and its writer, without the command-line parser and the I/O that main() loads. bin/activ.js
 * falls back to this unbundled file (dist/cli/quick-entry.js) when the bundle is missing.
 */
export { quick } from './quick.js';
export { quickWrite } from '../io/stdio.js';

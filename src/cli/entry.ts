/**
 * What bin/activ.js runs: the quick path (`activ NAME NUMBER...`) with its writer, and main()
 * loaded only when the quick path declines. src/build/bundle.mjs bundles this file, and all it
 * reaches, into dist/bundle/cli.cjs; bin/activ.js falls back to the unbundled dist/cli/entry.js.
 * Modules reached only through main() are initialised only when main() is first called.
 */
import type { Io } from './main.js';

export { quick } from './quick.js';
export { quickWrite } from '../io/stdio.js';

/** main() of src/cli/main.ts, loaded on first use. */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  return (await import('./main.js')).main(argv, io);
}

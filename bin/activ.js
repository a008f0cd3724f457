#!/usr/bin/env node
// Thin shim: run the built command line and let Node exit by itself once output is flushed.
// A plain `activ NAME NUMBER...` is answered without loading the full command line.
import { quick } from '../dist/cli/quick.js';

const argv = process.argv.slice(2);
const code = await quick(argv, (s) => process.stdout.write(s));
if (code !== undefined) process.exitCode = code;
else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(argv);
}

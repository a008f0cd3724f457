#!/usr/bin/env node
// Thin shim: run the built command line and let Node exit by itself once output is flushed.
// A plain `activ NAME NUMBER...` is answered without loading the full command line.
import { quick } from '../dist/cli/quick.js';
import { quickWrite } from '../dist/io/stdio.js';

const argv = process.argv.slice(2);
// quickWrite owns stdout's failures (EPIPE quiet 0, ENOSPC/EBADF one line and 1)
const code = await quick(argv, quickWrite);
if (code !== undefined) process.exitCode ??= code;
else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(argv);
}

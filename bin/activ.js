#!/usr/bin/env node
// Thin shim: run the built command line and let Node exit by itself once output is flushed.
// A plain `activ NAME NUMBER...` is answered without loading the full command line.
// dist/bundle/ (src/build/bundle.mjs, built by `npm run build` after tsc) is the same code in a few
// files, which Node loads several times faster than dist/cli/'s dozens of modules. dist/cli/ is
// used when the bundle is missing or older (tsc run alone), so a stale bundle never runs.
import { statSync } from 'node:fs';

const mtime = (p) => statSync(new URL(p, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = mtime('../dist/bundle/main.mjs') >= mtime('../dist/cli/main.js');
const load = (name) => (bundled ? import(`../dist/bundle/${name}.mjs`) : import(`../dist/cli/${name}.js`));

const argv = process.argv.slice(2);
const { quick } = await load('quick');
// quickWrite owns stdout's failures (EPIPE quiet 0, ENOSPC/EBADF one line and 1)
const { quickWrite } = await import('../dist/io/stdio.js');
const code = await quick(argv, quickWrite);
if (code !== undefined) process.exitCode ??= code;
else {
  const { main } = await load('main');
  process.exitCode = await main(argv);
}

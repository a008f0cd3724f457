#!/usr/bin/env node
/**
 * The command line as a few bundled files (issue 11: start-up): after tsc, esbuild joins
 * dist/cli/quick.js and dist/cli/main.js with everything they import (commander and csv-* too)
 * into dist/bundle/, split at the dynamic imports, so Node reads and links a handful of files
 * instead of dozens of modules. bin/activ.js loads dist/bundle/ and falls back to dist/cli/ when
 * it is missing. The library (dist/index.js) and the worker threads stay unbundled.
 *
 * import.meta.url inside the bundle is rewritten to the original module's URL, so paths made
 * from it (the worker script, package.json) still point where tsc put them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'bundle');

/** Every dist module's import.meta.url, as the URL of that module's own file. */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = path.relative(OUT, args.path).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

fs.rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { quick: path.join(DIST, 'cli/quick.js'), main: path.join(DIST, 'cli/main.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // commander and csv-* are CommonJS in places: give the bundle a require for node: built-ins.
  banner: { js: "import { createRequire as __activRequire } from 'node:module'; const require = __activRequire(import.meta.url);" },
  plugins: [keepModuleUrls],
  logLevel: 'warning',
});

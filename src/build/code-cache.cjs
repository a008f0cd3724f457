#!/usr/bin/env node
/**
 * Makes dist/bundle/quick.cache and main.cache (run by src/build/bundle.mjs in a fresh process,
 * stdout discarded): loads dist/bundle/NAME.cjs through bin/activ.js's own loader, runs the
 * start-up forms issue 11 measures (`activ sigmoid 0`, `activ relu --alpha 0.1 -- -1 2`, `activ
 * relu` on a 3-line CSV, by quick() and by main() as for a file quick() leaves to it, and that
 * CSV on stdin when bundle.mjs gives it as fd 0) so V8 compiles what they call, then writes each
 * bundle's V8 code cache
 * behind the length and a copy of the exact bytes it was made from (bin/activ.js compares them
 * with the bundle before using the cache). quick's and main's caches are taken before a form with
 * an option runs, which warms commander's bundle (vendor-commander.cjs) for its own cache.
 */
'use strict';
const { fstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { loadBundle, run } = require('../../bin/activ.js');

const DIR = join(__dirname, '../../dist/bundle');

/** NAME.cache for each bundle: the length and a copy of NAME.cjs, then V8's data for its script as compiled so far. */
function writeCaches(bundles) {
  for (const [name, { script }] of bundles) {
    const bytes = readFileSync(join(DIR, `${name}.cjs`));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length, 0);
    writeFileSync(join(DIR, `${name}.cache`), Buffer.concat([length, bytes, script.createCachedData()]));
  }
}

async function makeCaches() {
  const loaded = new Map();
  const load = async (name) => loadBundle(name, { dir: DIR, cache: false, loaded }).exports;
  const dir = mkdtempSync(join(tmpdir(), 'activ-code-cache-'));
  try {
    const csv = join(dir, 'small.csv');
    writeFileSync(csv, 'a,b\n1,-2\n-3,4\n');
    const stdinForm = fstatSync(0).isFile() ? [['relu']] : [];
    const forms = [['sigmoid', '0'], ['relu', '--alpha', '0.1', '--', '-1', '2'], ['relu', csv], ...stdinForm];
    // then a form with an option (commander), after quick's and main's caches are taken
    for (const argv of [...forms, undefined, ['relu', '--max-value', '6', csv]]) {
      if (argv === undefined) {
        for (const name of ['quick', 'main']) if (!loaded.has(name)) throw new Error(`${name}.cjs was not used by the start-up forms`);
        writeCaches([...loaded].filter(([name]) => name === 'quick' || name === 'main'));
        continue;
      }
      await run(argv, load);
      if (process.exitCode !== 0) throw new Error(`activ ${argv.join(' ')}: exit code ${process.exitCode}`);
      // the quick path answers the small CSV: main() reads it too, as it reads every file quick() leaves to it
      if (argv[1] === csv && argv.length === 2) {
        const code = await (await load('main')).main(argv);
        if (code !== 0) throw new Error(`activ ${argv.join(' ')} through main(): exit code ${code}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // every other bundle of the folder (the vendors), loaded if no form needed it; the worker
  // scripts (worker-*.cjs) run in worker threads, as files of their own, without a cache
  const others = readdirSync(DIR)
    .filter((f) => f.endsWith('.cjs') && !f.startsWith('worker-'))
    .map((f) => f.slice(0, -4))
    .filter((n) => n !== 'quick' && n !== 'main');
  for (const name of others) loadBundle(name, { dir: DIR, cache: false, loaded });
  writeCaches([...loaded].filter(([name]) => others.includes(name)));
}

makeCaches().catch((e) => {
  process.exitCode = 1;
  console.error(`code-cache: ${e instanceof Error ? e.message : e}`);
});

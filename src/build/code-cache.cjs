#!/usr/bin/env node
/**
 * Makes the caches bin/activ.js runs the bundles from (run by src/build/bundle.mjs in a fresh
 * process per set, stdout discarded): loads dist/bundle/NAME.cjs through bin/activ.js's own
 * loader, runs start-up forms issue 11 measures so V8 compiles what they call, then writes
 * NAME.cache: the length of the source V8 compiled, that source, and V8's code cache for it.
 *
 * - `numbers`: `activ sigmoid 0` and `activ relu --alpha 0.1 -- -1 2` by quick(); writes
 *   quick.cache only.
 * - `tables` (the default): those, then `activ relu` on a 3-line CSV by quick() and by main() (as
 *   for a file quick() leaves to it), and that CSV on stdin when bundle.mjs gives it as fd 0;
 *   writes quick-table.cache and main.cache, then runs a form with an option (commander) and
 *   writes every vendor bundle's cache.
 *
 * One set per process: compiled once, the same source in a second Script would share the first's
 * compiled functions, so the sets could not differ.
 */
'use strict';
const { fstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { loadBundle, run } = require('../../bin/activ.js');

const DIR = join(__dirname, '../../dist/bundle');
const SET = process.argv[2] ?? 'tables';

/** `as`.cache for each bundle: the length of its source, the source, then V8's data for its script as compiled so far. */
function writeCache({ script, source }, as) {
  const bytes = Buffer.from(source, 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(bytes.length, 0);
  writeFileSync(join(DIR, `${as}.cache`), Buffer.concat([length, bytes, script.createCachedData()]));
}

async function makeCaches() {
  if (SET !== 'numbers' && SET !== 'tables') throw new Error(`unknown set '${SET}' (numbers or tables)`);
  const loaded = new Map();
  const load = async (name) => loadBundle(name, { dir: DIR, cache: false, loaded }).exports;
  const dir = mkdtempSync(join(tmpdir(), 'activ-code-cache-'));
  try {
    const csv = join(dir, 'small.csv');
    writeFileSync(csv, 'a,b\n1,-2\n-3,4\n');
    const numbers = [['sigmoid', '0'], ['relu', '--alpha', '0.1', '--', '-1', '2']];
    const stdinForm = fstatSync(0).isFile() ? [['relu']] : [];
    const forms = SET === 'numbers' ? numbers : [...numbers, ['relu', csv], ...stdinForm];
    for (const argv of forms) {
      await run(argv, load);
      if (process.exitCode !== 0) throw new Error(`activ ${argv.join(' ')}: exit code ${process.exitCode}`);
      // the quick path answers the small CSV: main() reads it too, as it reads every file quick() leaves to it
      if (argv[1] === csv && argv.length === 2) {
        const code = await (await load('main')).main(argv);
        if (code !== 0) throw new Error(`activ ${argv.join(' ')} through main(): exit code ${code}`);
      }
    }
    const used = SET === 'numbers' ? ['quick'] : ['quick', 'main'];
    for (const name of used) if (!loaded.has(name)) throw new Error(`${name}.cjs was not used by the start-up forms`);
    if (SET === 'numbers') return writeCache(loaded.get('quick'), 'quick');
    writeCache(loaded.get('quick'), 'quick-table');
    writeCache(loaded.get('main'), 'main');
    // then a form with an option, which warms commander's bundle (vendor-commander.cjs) for its own cache
    await run(['relu', '--max-value', '6', csv], load);
    if (process.exitCode !== 0) throw new Error(`activ relu --max-value 6: exit code ${process.exitCode}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // every other bundle of the folder (the vendors), loaded if no form needed it; the worker
  // scripts (worker-*.cjs) run in worker threads, as files of their own, without a cache
  const others = readdirSync(DIR)
    .filter((f) => f.endsWith('.cjs') && !f.startsWith('worker-'))
    .map((f) => f.slice(0, -4))
    .filter((n) => n !== 'quick' && n !== 'main');
  for (const name of others) writeCache(loadBundle(name, { dir: DIR, cache: false, loaded }), name);
}

makeCaches().catch((e) => {
  process.exitCode = 1;
  console.error(`code-cache: ${e instanceof Error ? e.message : e}`);
});

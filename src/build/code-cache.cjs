#!/usr/bin/env node
/**
 * Makes dist/bundle/cli.cache (run by src/build/bundle.mjs in a fresh process, stdout discarded):
 * loads dist/bundle/cli.cjs through bin/activ.js's own loader, runs the start-up forms issue 11
 * measures (`activ sigmoid 0`, `activ relu --alpha 0.1 -- -1 2`, `activ relu` on a 3-line CSV) so
 * V8 compiles what they call, then writes V8's code cache behind a header holding the CRC-32 and
 * length of the exact cli.cjs bytes it was made from (bin/activ.js checks both before using it).
 */
'use strict';
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { crc32 } = require('node:zlib');
const { loadBundle, run } = require('../../bin/activ.js');

const BUNDLE = join(__dirname, '../../dist/bundle/cli.cjs');
const CACHE = join(__dirname, '../../dist/bundle/cli.cache');

async function makeCache() {
  const bytes = readFileSync(BUNDLE);
  const { exports: cli, script } = loadBundle({ file: BUNDLE, cache: false });
  const dir = mkdtempSync(join(tmpdir(), 'activ-code-cache-'));
  try {
    const csv = join(dir, 'small.csv');
    writeFileSync(csv, 'a,b\n1,-2\n-3,4\n');
    for (const argv of [['sigmoid', '0'], ['relu', '--alpha', '0.1', '--', '-1', '2'], ['relu', csv]]) {
      await run(argv, cli);
      if (process.exitCode !== 0) throw new Error(`activ ${argv.join(' ')}: exit code ${process.exitCode}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = Buffer.alloc(8);
  header.writeUInt32LE(crc32(bytes), 0);
  header.writeUInt32LE(bytes.length, 4);
  writeFileSync(CACHE, Buffer.concat([header, script.createCachedData()]));
}

makeCache().catch((e) => {
  process.exitCode = 1;
  console.error(`code-cache: ${e instanceof Error ? e.message : e}`);
});

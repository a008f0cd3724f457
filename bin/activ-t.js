#!/usr/bin/env node
// Thin shim: run the built command line and let Node exit by itself once output is flushed.
// CommonJS (bin/package.json): Node starts a CommonJS entry without its ES module loader.
// dist/bundle/cli.cjs (src/build/bundle.mjs, built by `npm run build` after tsc) is the whole
// command line in one file, compiled from V8's code cache dist/bundle/cli.cache when that cache was
// made from these very bytes (CRC-32 and length in its header; V8 checks its version and flags).
// dist/cli/ is used when the bundle is missing or older (tsc run alone), so a stale bundle never runs.
'use strict';
const T=[['entry',(()=>{const u=process.cpuUsage();return (u.user+u.system)/1000})()]]; const mark=(n)=>T.push([n,(()=>{const u=process.cpuUsage();return (u.user+u.system)/1000})()]); process.on('exit',()=>{let o=[];for(let i=1;i<T.length;i++)o.push(T[i][0]+'='+(T[i][1]-T[i-1][1]).toFixed(2));o.push('exit='+((()=>{const u=process.cpuUsage();return (u.user+u.system)/1000})()-T[T.length-1][1]).toFixed(2));require('fs').writeSync(2,'entry='+T[0][1].toFixed(1)+' '+o.join(' ')+'\n')});
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path'); mark('req');

const BUNDLE = join(__dirname, '../dist/bundle/cli.cjs');
const CACHE = join(__dirname, '../dist/bundle/cli.cache');
const CACHE_HEADER = 8; // uint32 LE CRC-32 of cli.cjs, uint32 LE its length; then V8's data

const mtime = (p) => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? -1;

/** V8's data from the cache file when it was made from `bytes`, else a word for why not. */
function cachedDataFor(bytes, cacheFile) {
  let c;
  try {
    c = readFileSync(cacheFile);
  } catch {
    return { status: 'missing' };
  }
  if (c.length <= CACHE_HEADER || c.readUInt32LE(4) !== bytes.length) return { status: 'stale' };
  const z = require('node:zlib'); mark('zlib'); if (z.crc32(bytes) !== c.readUInt32LE(0)) return { status: 'stale' }; mark('crc');
  return { status: 'used', data: c.subarray(CACHE_HEADER) };
}

/**
 * The bundle's exports, compiled with its code cache when that cache is fresh. `status`: used,
 * rejected (by V8), stale (made from other bytes), missing or off. src/build/code-cache.cjs passes
 * `cache: false` and makes the cache from `script` after running the start-up forms.
 */
function loadBundle({ file = BUNDLE, cacheFile = CACHE, cache = true } = {}) {
  const { Script } = require('node:vm');
  mark('vm'); const bytes = readFileSync(file); mark('read');
  const found = cache ? cachedDataFor(bytes, cacheFile) : { status: 'off' };
  // the wrapper Node's own CommonJS loader puts around a module
  const source = `(function (exports, require, module, __filename, __dirname) {${bytes.latin1Slice(0, bytes.length)}\n})`;
  const script = new Script(source, { filename: file, cachedData: found.data });
  mark('script'); const status = script.cachedDataRejected === true ? 'rejected' : found.status;
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require, mod, file, join(file, '..'));
  mark('init'); return { exports: mod.exports, script, status };
}

/** The standard streams, each created only if used (creating stdin alone costs milliseconds). */
const io = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
};

/** Run the command line on argv; sets process.exitCode. */
async function run(argv, cli) {
  const code = await cli.quick(argv, cli.quickWrite); mark('quick');
  if (code !== undefined) process.exitCode ??= code;
  else { process.exitCode = await cli.main(argv, io); mark('main'); }
}

if (require.main === module) {
  const bundled = mtime(BUNDLE) >= mtime(join(__dirname, '../dist/cli/main.js'));
  const cli = bundled ? Promise.resolve(loadBundle().exports) : import('../dist/cli/entry.js');
  cli.then((c) => run(process.argv.slice(2), c));
} else {
  module.exports = { loadBundle, run };
}

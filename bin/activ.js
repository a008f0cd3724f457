#!/usr/bin/env node
// Thin shim: run the built command line and let Node exit by itself once output is flushed.
// CommonJS (bin/package.json): Node starts a CommonJS entry without its ES module loader.
// dist/bundle/quick.cjs answers `activ NAME [--PARAM VALUE...] NUMBER...` and small tables;
// dist/bundle/main.cjs is the whole command line, the packages only some commands use in
// vendor-*.cjs (src/build/bundle.mjs, built by `npm run build` after tsc). Each runs from its
// cache, NAME.cache: the source V8 compiled (NAME.cjs in Node's CommonJS wrapper) and V8's code
// cache for it, one file read, no second copy to compare (issue 11: start-up). quick.cjs has two,
// one warmed by the number forms and one by the table forms (quick-table.cache): a cache holds
// every function its forms compiled, and deserialising the others cost the number forms ~1.5 ms.
// A cache older than its bundle (the bundle edited after the build) is not used; V8 checks its
// own version and flags. dist/cli/ is used when the bundles are missing or older (tsc run alone),
// so a stale bundle never runs.
'use strict';
const { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } = require('node:fs');
const { join } = require('node:path');

const DIST = join(__dirname, '../dist');
const SOURCE_AT = 4; // NAME.cache: uint32 LE length of the source, the source (ASCII), then V8's data

const mtime = (p) => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? -1;

/** Node's CommonJS wrapper around a bundle's text: the source a cache is made from. */
const wrap = (text) => `(function (exports, require, module, __filename, __dirname) {${text}\n})`;

/**
 * The source and V8's data in `cacheFile` when it is whole and not older than `bundleFile`, else
 * a word for why not (missing, stale).
 */
function cached(cacheFile, bundleFile) {
  let fd;
  try {
    fd = openSync(cacheFile, 'r');
  } catch {
    return { status: 'missing' };
  }
  try {
    const st = fstatSync(fd);
    if (st.mtimeMs < mtime(bundleFile)) return { status: 'stale' };
    const c = Buffer.allocUnsafeSlow(st.size);
    for (let n = 0, k = 1; k > 0 && n < c.length; n += k) k = readSync(fd, c, n, c.length - n, n);
    const end = SOURCE_AT + (c.length >= SOURCE_AT ? c.readUInt32LE(0) : c.length);
    if (end >= c.length) return { status: 'stale' }; // cut short
    return { status: 'used', source: c.latin1Slice(SOURCE_AT, end), data: c.subarray(end) };
  } finally {
    closeSync(fd);
  }
}

/**
 * dist/bundle/NAME.cjs's exports, compiled with its cache (`cacheName`.cache, NAME by default) when
 * that cache is usable. `status`: used, rejected (by V8), stale, missing or off. A bundle's
 * relative require ('./vendor-commander.cjs') is another bundle of its folder, loaded the same way
 * once per `loaded` (bundles: name -> { exports, script, source, status }).
 * src/build/code-cache.cjs passes `cache: false` and makes the caches from the scripts.
 */
function loadBundle(name, { dir = join(DIST, 'bundle'), cache = true, cacheName = name, loaded = new Map() } = {}) {
  if (loaded.has(name)) return loaded.get(name);
  const { Script } = require('node:vm');
  const file = join(dir, `${name}.cjs`);
  const found = cache ? cached(join(dir, `${cacheName}.cache`), file) : { status: 'off' };
  let source = found.source;
  if (source === undefined) {
    const bytes = readFileSync(file); // the bundle is ASCII
    source = wrap(bytes.latin1Slice(0, bytes.length));
  }
  const script = new Script(source, { filename: file, cachedData: found.data });
  const mod = { exports: {} };
  const bundle = { exports: mod.exports, script, source, status: script.cachedDataRejected === true ? 'rejected' : found.status };
  loaded.set(name, bundle);
  const bundleRequire = (id) => (id.startsWith('./') ? loadBundle(id.slice(2).replace(/\.cjs$/, ''), { dir, cache, loaded }).exports : require(id));
  script.runInThisContext()(mod.exports, bundleRequire, mod, file, dir);
  bundle.exports = mod.exports;
  return bundle;
}

/** The unbundled modules tsc wrote, for when the bundles are missing or older. */
const UNBUNDLED = { quick: '../dist/cli/quick-entry.js', main: '../dist/cli/main.js' };

/** The largest file quick() reads (src/io/small-table.ts SMALL_TABLE_BYTES). */
const SMALL_TABLE_BYTES = 1 << 16;

/**
 * Whether quick() may take these arguments: a name, long options each with a value (activation
 * parameters, e.g. `--alpha 0.1`), then operands that each start like a number (after an optional
 * `--`), or one operand naming a small regular file, or none with a small regular file on stdin
 * (only these forms cost a stat): 'numbers' or 'table', the cache quick.cjs runs from, else
 * false. Only a shortcut: quick() decides, and main() prints the same bytes for anything quick()
 * would take, so a wrong guess costs time, never output.
 */
function mayBeQuick(argv) {
  let i = 1;
  for (; i < argv.length && argv[i].startsWith('--') && argv[i] !== '--'; i += argv[i].includes('=') ? 1 : 2) {
    const [flag, value = argv[i + 1]] = argv[i].split('=', 2);
    if (MAIN_OPTIONS.has(flag)) return false;
    if (flag === '--axis' && (value === '0' || value === '-2')) return false; // down the columns: main()'s (quick.ts tableDirection)
  }
  const operands = argv[i] === '--' ? argv.slice(i + 1) : argv.slice(i);
  if (!/^[A-Za-z]/.test(argv[0] ?? '')) return false;
  if (operands.length === 0) return isSmallFile(0) && 'table'; // stdin: quick() reads it when it is a small regular file
  if (operands.every((a) => /^[-+]?(\d|\.\d|inf|nan)/i.test(a))) return 'numbers';
  return operands.length === 1 && !operands[0].startsWith('-') && !NOT_TABLES.test(operands[0]) && isSmallFile(operands[0]) && 'table';
}

/**
 * main()'s own long options (src/cli/program.ts): quick() takes none of them, so loading it for
 * `--to json` or `--grad` would cost ~2.5 ms for nothing. test/e2e/startup.e2e.test.ts holds this
 * list equal to the program's; one missing here costs that time, never output.
 */
const MAIN_OPTIONS = new Set(['--columns', '--from', '--to', '--header', '--no-header', '--header-out', '--delimiter', '--precision', '--decimals', '--dtype', '--on-invalid', '--na', '--json-nonfinite', '--grad', '--cotangent', '--output', '--progress', '--no-progress', '--quiet', '--help', '--version']);

/** Names whose format quick() never reads (JSON, NDJSON, NumPy, gzip): main() at once. */
const NOT_TABLES = /\.(json|ndjson|jsonl|npy|npz|gz)$/i;

/** A path (or descriptor) naming a regular file of at most SMALL_TABLE_BYTES. */
function isSmallFile(file) {
  try {
    const st = typeof file === 'number' ? fstatSync(file) : statSync(file, { throwIfNoEntry: false });
    return st !== undefined && st.isFile() && st.size <= SMALL_TABLE_BYTES;
  } catch {
    return false; // main() says why it cannot be read
  }
}

/**
 * Run the command line on argv, loading what it needs with `load(name, cacheName)`; sets
 * process.exitCode.
 */
async function run(argv, load) {
  const form = mayBeQuick(argv);
  if (form) {
    const { quick, quickWrite } = await load('quick', form === 'table' ? 'quick-table' : 'quick');
    const code = await quick(argv, quickWrite);
    if (code !== undefined) return void (process.exitCode ??= code);
  }
  process.exitCode = await (await load('main')).main(argv); // its own standard streams, each created only if used
}

/**
 * Exit 0 only for a run that finished. Should Node's event loop empty while `running` is still
 * pending (a stream left waiting for an event that will never come: seen once, -o NAME.gz on a full
 * disk, which exited 0 without a file), the exit becomes a data error with one line, not a success.
 */
function failIfStalled(running) {
  let done = false;
  running.then(() => (done = true), () => (done = true));
  process.on('exit', (code) => {
    if (done || code !== 0) return;
    require('node:fs').writeSync(2, 'activ: internal error: the run stopped before it was complete (its output may be missing or cut); please report it\n');
    process.exitCode = 1;
  });
}

if (require.main === module) {
  const bundled = mtime(join(DIST, 'bundle/main.cjs')) >= mtime(join(DIST, 'cli/main.js'));
  const loaded = new Map();
  failIfStalled(run(process.argv.slice(2), async (name, cacheName) => (bundled ? loadBundle(name, { cacheName, loaded }).exports : import(UNBUNDLED[name]))));
} else {
  module.exports = { loadBundle, mayBeQuick, run, failIfStalled, MAIN_OPTIONS };
}

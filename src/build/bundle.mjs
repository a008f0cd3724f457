#!/usr/bin/env node
/**
 * The command line as two CommonJS files with their V8 code caches (issue 11: start-up), built by
 * `npm run build` after tsc:
 *
 * - dist/bundle/quick.cjs: dist/cli/quick-entry.js (`activ NAME NUMBER...`) and what it reaches;
 *   dist/bundle/main.cjs: dist/cli/main.js and everything it reaches but the packages only some
 *   commands use (VENDORS: commander, csv-parse, csv-stringify, fflate), each a bundle of its own
 *   (vendor-NAME.cjs) that main.cjs requires as './vendor-NAME.cjs' and bin/activ.js loads with
 *   its own code cache: `activ relu small.csv` reads and deserialises about 130 KB less.
 *   Node loads one CommonJS file much faster than dozens of ES modules (no ESM loader, no
 *   resolution per module), and a small file faster than a large one (its cache holds every
 *   function of the file), hence two. Modules reached only through a dynamic import() (plot,
 *   check...) are initialised when first imported, as before. Built-ins that only some commands
 *   use (crypto, child_process, os, fs/promises, worker_threads, stream) are required on first use of a
 *   binding, not when the module importing them is initialised: loading them costs 1-5 ms each.
 * - dist/bundle/NAME.cache: the source V8 compiles (NAME.cjs in Node's CommonJS wrapper), behind
 *   its length, then V8's code cache for it, made by src/build/code-cache.cjs after running the
 *   start-up forms once, so the functions they call are compiled already. bin/activ.js reads this
 *   one file and runs the source in it, unless the cache is older than NAME.cjs; V8 checks its own
 *   version and flags. quick.cjs has two: quick.cache (the number forms) and quick-table.cache.
 *
 * import.meta.url inside the bundle becomes the URL of the original module's file, so paths made
 * from it (the worker scripts, package.json) still point where tsc put them. The library
 * (dist/index.js) and the worker threads stay unbundled ES modules.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'bundle');
const LAZY_BUILTINS = /^node:(crypto|child_process|os|fs\/promises|worker_threads|stream)$/;
const requireHere = createRequire(import.meta.url);

/**
 * The worker scripts, each bundled too (dist/bundle/NAME.cjs): a worker thread starts in ~45 ms
 * from one CommonJS file against ~90 ms from the ES modules (issue 11: that start-up is paid
 * while the other threads work). In main.cjs, `new URL('./worker.js', import.meta.url)` names the
 * worker's bundle instead.
 */
const WORKERS = { 'io/fastlane/worker.js': 'worker-lane', 'io/jsonlane/ndjson-worker.js': 'worker-ndjson', 'io/npy-worker.js': 'worker-npy' };
const workerUrlsSeen = new Set();

/** Every dist module's import.meta.url, as the URL of that module's own file. */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/, namespace: 'file' }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      text = text.replace(/new URL\('(\.\/[\w-]+\.js)', import\.meta\.url\)/g, (whole, script) => {
        const bundle = WORKERS[path.relative(DIST, path.resolve(path.dirname(args.path), script)).split(path.sep).join('/')];
        if (!bundle) return whole;
        workerUrlsSeen.add(bundle);
        return `new URL(__activModuleUrl(${JSON.stringify(`${bundle}.cjs`)}))`;
      });
      const rel = path.relative(OUT, args.path).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `__activModuleUrl(${JSON.stringify(rel)})`), loader: 'js' };
    });
  },
};

/**
 * `import { randomBytes } from 'node:crypto'` becomes a small object whose bindings are getters
 * that require the built-in on first use (esbuild reads named imports as properties at each use).
 * Each importing file gets its own object, with getters for the names it imports only.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: LAZY_BUILTINS }, (args) =>
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: `${args.path}?from=${path.relative(ROOT, args.importer).split(path.sep).join('/')}`, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const [builtin, importer] = args.path.split('?from=');
      const id = JSON.stringify(builtin);
      const names = importedNames(fs.readFileSync(path.join(ROOT, importer), 'utf8'), builtin) ?? Object.keys(requireHere(builtin));
      const getters = names.filter((k) => k !== 'default').map((k) => `  ${JSON.stringify(k)}: { enumerable: true, get: () => load()[${JSON.stringify(k)}] },`);
      const contents = `let m;\nconst load = () => (m ??= require(${id}));\nmodule.exports = Object.defineProperties({}, {\n${getters.join('\n')}\n});\n`;
      return { contents, loader: 'js' };
    });
  },
};

/**
 * `await import('node:zlib')` becomes a require: the bundle runs as a vm.Script, which has no
 * ES module loader for import() to call.
 */
const builtinImports = {
  name: 'builtin-imports',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      if (args.namespace === 'builtin-import') return { path: args.path, external: true };
      return args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-import' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-import' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});\n`, loader: 'js' }));
  },
};

/** Packages main.cjs leaves to bundles of their own, by the name of that bundle. */
const VENDORS = { commander: 'vendor-commander', 'csv-parse': 'vendor-csv-parse', 'csv-stringify/sync': 'vendor-csv-stringify', fflate: 'vendor-fflate' };

/**
 * In main.cjs, an import of a VENDORS package, static or dynamic, is a require of its bundle
 * ('./vendor-NAME.cjs': bin/activ.js loads a bundle's relative requires as bundles of its folder).
 */
const vendorBundles = {
  name: 'vendor-bundles',
  setup(b) {
    b.onResolve({ filter: /^(commander|csv-parse|csv-stringify\/sync|fflate)$/ }, (args) => {
      const rel = `./${VENDORS[args.path]}.cjs`;
      return args.kind === 'dynamic-import' ? { path: rel, namespace: 'vendor-import' } : { path: rel, external: true };
    });
    b.onResolve({ filter: /.*/, namespace: 'vendor-import' }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'vendor-import' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});\n`, loader: 'js' }));
  },
};

/** The names in `import { a, b as c } from 'ID'` (tsc's output), or undefined for any other form. */
function importedNames(text, id) {
  const quoted = id.replace(/[/]/g, '\\/');
  if (new RegExp(`import\\s+(\\*|\\w)[^;]*from\\s*'${quoted}'`).test(text)) return undefined;
  const named = [...text.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*'${quoted}'`, 'g'))];
  if (named.length === 0) return undefined;
  return named.flatMap((m) => m[1].split(',').map((s) => s.trim().split(/\s+as\s+/)[0]).filter(Boolean));
}

fs.rmSync(OUT, { recursive: true, force: true });
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // smaller source and cache (fewer pages to read and touch); identifiers are kept, as in the sources
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii', // bin/activ.js reads the file as latin1; checked below
  logLevel: 'warning',
};
const banner = { js: "const __activModuleUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;" };
// quick.cjs: `activ NAME NUMBER...` alone (small: read and compiled fast); main.cjs: the whole command line.
for (const [name, entry] of [['quick', 'cli/quick-entry.js'], ['main', 'cli/main.js']]) {
  await build({
    ...common,
    entryPoints: [path.join(DIST, entry)],
    outfile: path.join(OUT, `${name}.cjs`),
    banner,
    plugins: [...(name === 'main' ? [vendorBundles] : []), keepModuleUrls, lazyBuiltins, builtinImports],
  });
}
// each worker script (WORKERS), started by main.cjs
for (const [entry, name] of Object.entries(WORKERS)) {
  await build({ ...common, entryPoints: [path.join(DIST, entry)], outfile: path.join(OUT, `${name}.cjs`), banner, plugins: [keepModuleUrls, lazyBuiltins, builtinImports] });
}
for (const name of Object.values(WORKERS)) {
  if (!workerUrlsSeen.has(name)) throw new Error(`main.cjs does not start ${name}.cjs: its new URL('./...js', import.meta.url) was not found`);
}
// each vendor: the package's exports as the unbundled modules import them (its 'import' condition)
for (const [pkg, name] of Object.entries(VENDORS)) {
  await build({
    ...common,
    stdin: { contents: `export * from ${JSON.stringify(pkg)};\n`, resolveDir: ROOT, sourcefile: `${name}.js` },
    outfile: path.join(OUT, `${name}.cjs`),
    plugins: [lazyBuiltins, builtinImports],
  });
}
for (const file of fs.readdirSync(OUT).map((f) => path.join(OUT, f))) {
  const text = fs.readFileSync(file, 'latin1');
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`${file}: not ASCII`);
  if (/\bimport\(/.test(text)) throw new Error(`${file}: an import() is left (the bundle runs as a vm.Script, without an ES module loader)`);
}

// The code caches are made in a fresh process that runs the start-up forms, a 3-line CSV on its
// stdin. Their output goes to /dev/null opened for writing ('ignore' opens it read-write, which
// activ takes for a closed stdout).
const csvDir = fs.mkdtempSync(path.join(os.tmpdir(), 'activ-bundle-'));
const csv = path.join(csvDir, 'small.csv');
fs.writeFileSync(csv, 'a,b\n1,-2\n-3,4\n');
const stdin = fs.openSync(csv, 'r');
const devNull = fs.openSync(os.devNull, 'w');
try {
  for (const set of ['numbers', 'tables']) {
    const made = spawnSync(process.execPath, [path.join(ROOT, 'src/build/code-cache.cjs'), set], { stdio: [stdin, devNull, 'inherit'] });
    if (made.status !== 0) throw new Error(`src/build/code-cache.cjs ${set} failed (${made.status ?? made.signal})`);
  }
} finally {
  fs.closeSync(devNull);
  fs.closeSync(stdin);
  fs.rmSync(csvDir, { recursive: true, force: true });
}

/**
 * Start-up (issue 11): bin/activ.js runs dist/bundle/quick.cjs and main.cjs from their caches
 * (NAME.cache: the source V8 compiled, then V8's code cache for it; quick.cjs has a second,
 * quick-table.cache, for the table forms). A cache older than its bundle, cut short, refused by V8
 * or missing costs the compile, never other output.
 * Each test runs a copy of bin/ and dist/bundle/ in a temporary folder (timestamps kept).
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT, run, sh } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-startup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CSV = join(tmp, 'small.csv');
writeFileSync(CSV, 'a,b\n1,-2\n-3,4\n');
const FORMS = [['sigmoid', '0'], ['relu', '--alpha', '0.1', '--', '-1', '2'], ['relu', CSV], ['gelu', '--', '-3', '0', '1e-300']];

let copies = 0;
/** A fresh copy of bin/ and dist/bundle/ (what a bundled run reads). */
function copy(): string {
  const dir = join(tmp, `copy${copies++}`);
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true, preserveTimestamps: true });
  cpSync(join(ROOT, 'dist/bundle'), join(dir, 'dist/bundle'), { recursive: true, preserveTimestamps: true });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

type Statuses = { quick: string; 'quick-table': string; main: string };

/** How each bundle of the copy in `dir` loads (quick with each of its caches): used, stale, missing, rejected. */
async function statuses(dir: string): Promise<Statuses> {
  const script = `const { loadBundle } = require(${JSON.stringify(join(dir, 'bin/activ.js'))});
    console.log(JSON.stringify({ quick: loadBundle('quick').status, 'quick-table': loadBundle('quick', { cacheName: 'quick-table' }).status, main: loadBundle('main').status }));`;
  const r = await run(process.execPath, ['-e', script], { cwd: tmp });
  expect(r.err).toBe('');
  return JSON.parse(r.out) as Statuses;
}

/** stdout, stderr and exit code of each start-up form, run by the copy in `dir`. */
async function outputs(dir: string): Promise<string[]> {
  const rs = await Promise.all(FORMS.map((args) => run(process.execPath, [join(dir, 'bin/activ.js'), ...args], { cwd: tmp })));
  return rs.map((r) => `${r.code} ${JSON.stringify(r.out)} ${JSON.stringify(r.err)}`);
}

describe.concurrent('code caches', { timeout: 120_000 }, () => {
  test('the build made every cache from the bundles it wrote, and they are used', async () => {
    expect(await statuses(copy())).toEqual({ quick: 'used', 'quick-table': 'used', main: 'used' });
  });

  test("each cache holds its bundle's source in Node's CommonJS wrapper, then V8's data", () => {
    for (const [cache, bundle] of [['quick', 'quick'], ['quick-table', 'quick'], ['main', 'main'], ['vendor-commander', 'vendor-commander']]) {
      const bytes = readFileSync(join(ROOT, `dist/bundle/${cache}.cache`));
      const end = 4 + bytes.readUInt32LE(0);
      const source = bytes.latin1Slice(4, end);
      expect(source).toBe(`(function (exports, require, module, __filename, __dirname) {${readFileSync(join(ROOT, `dist/bundle/${bundle}.cjs`), 'latin1')}\n})`);
      expect(bytes.length - end).toBeGreaterThan(1000);
    }
  });

  test('quick.cjs leaves out the derivatives (it never binds one); main.cjs has them', () => {
    // esbuild names each module it wraps by its path
    expect(readFileSync(join(ROOT, 'dist/bundle/quick.cjs'), 'latin1')).not.toContain('dist/kernels/gradients.js');
    expect(readFileSync(join(ROOT, 'dist/bundle/main.cjs'), 'latin1')).toContain('dist/kernels/gradients.js');
  });

  test('the number forms and the table forms run quick.cjs from their own caches', async () => {
    const script = (argv: string[]) => `const a = require(${JSON.stringify(join(ROOT, 'bin/activ.js'))});
      const asked = [];
      a.run(${JSON.stringify(argv)}, async (name, cacheName) => { asked.push(cacheName ?? name); return a.loadBundle(name, { cacheName }).exports; })
        .then(() => console.error(JSON.stringify(asked)));`;
    const numbers = await run(process.execPath, ['-e', script(['relu', '--alpha', '0.1', '--', '-1', '2'])], { cwd: tmp });
    expect(numbers).toMatchObject({ code: 0, out: '-0.1 2\n', err: '["quick"]\n' });
    const table = await run(process.execPath, ['-e', script(['relu', CSV])], { cwd: tmp });
    expect(table).toMatchObject({ code: 0, out: 'a,b\n1,0\n0,4\n', err: '["quick-table"]\n' });
  });

  test('without caches the output is byte for byte the same', async () => {
    const plain = copy();
    for (const name of ['quick', 'quick-table', 'main']) unlinkSync(join(plain, `dist/bundle/${name}.cache`));
    expect(await statuses(plain)).toEqual({ quick: 'missing', 'quick-table': 'missing', main: 'missing' });
    const expected = await outputs(copy());
    expect(expected[0]).toBe('0 "0.5\\n" ""');
    expect(expected[2]).toBe('0 "a,b\\n1,0\\n0,4\\n" ""');
    expect(await outputs(plain)).toEqual(expected);
  });

  test('a bundle edited after its caches were made runs from its own source, not from the caches', async () => {
    const dir = copy();
    const file = join(dir, 'dist/bundle/quick.cjs');
    const text = readFileSync(file, 'latin1');
    const edited = text.replace('.join(" ")', '.join("_")');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited, 'latin1'); // now newer than quick.cache and quick-table.cache
    expect(await statuses(dir)).toEqual({ quick: 'stale', 'quick-table': 'stale', main: 'used' });
    const r = await run(process.execPath, [join(dir, 'bin/activ.js'), 'relu', '--', '-1', '2'], { cwd: tmp });
    expect(r).toMatchObject({ code: 0, out: '0_2\n', err: '' });
  });

  test('a cache V8 refuses is rejected cleanly, and the output does not change', async () => {
    const dir = copy();
    for (const name of ['main', 'quick-table']) {
      const cache = join(dir, `dist/bundle/${name}.cache`);
      const bytes = readFileSync(cache);
      const v8 = 4 + bytes.readUInt32LE(0); // after our length and the source
      bytes.fill(0, v8, v8 + 16); // V8's own header (magic number, version and flag hashes)
      writeFileSync(cache, bytes);
    }
    expect(await statuses(dir)).toEqual({ quick: 'used', 'quick-table': 'rejected', main: 'rejected' });
    expect(await outputs(dir)).toEqual(await outputs(copy()));
  });

  test('commander is a bundle of its own, loaded with its cache only by a command with an option; without its cache it runs from source', async () => {
    const bundles = async (dir: string, argv: string[]): Promise<{ out: string; loaded: Record<string, string> }> => {
      const script = `const { loadBundle } = require(${JSON.stringify(join(dir, 'bin/activ.js'))});
        const loaded = new Map();
        loadBundle('main', { loaded }).exports.main(${JSON.stringify(argv)}).then(() =>
          console.error(JSON.stringify(Object.fromEntries([...loaded].map(([name, b]) => [name, b.status])))));`;
      const r = await run(process.execPath, ['-e', script], { cwd: tmp });
      return { out: r.out, loaded: JSON.parse(r.err) as Record<string, string> };
    };
    const fresh = copy();
    expect(await bundles(fresh, ['relu', CSV])).toEqual({ out: 'a,b\n1,0\n0,4\n', loaded: { main: 'used' } });
    const withOption = await bundles(fresh, ['relu', '--max-value', '6', CSV]);
    expect(withOption).toEqual({ out: 'a,b\n1,0\n0,4\n', loaded: { main: 'used', 'vendor-commander': 'used' } });
    const plain = copy();
    unlinkSync(join(plain, 'dist/bundle/vendor-commander.cache'));
    expect(await bundles(plain, ['relu', '--max-value', '6', CSV])).toEqual({ out: withOption.out, loaded: { main: 'used', 'vendor-commander': 'missing' } });
  });

  test.each([6, 3, 0])('a cache cut short (%i bytes) is stale', async (length) => {
    const dir = copy();
    const cache = join(dir, 'dist/bundle/quick.cache');
    writeFileSync(cache, readFileSync(cache).subarray(0, length));
    const half = join(dir, 'dist/bundle/quick-table.cache');
    const bytes = readFileSync(half);
    writeFileSync(half, bytes.subarray(0, 4 + bytes.readUInt32LE(0))); // the source, without V8's data
    expect(await statuses(dir)).toEqual({ quick: 'stale', 'quick-table': 'stale', main: 'used' });
    const outs = await outputs(dir);
    expect(outs[0]).toBe('0 "0.5\\n" ""');
    expect(outs[2]).toBe('0 "a,b\\n1,0\\n0,4\\n" ""');
  });
});

test('only parameter-like flags, then operands that start like numbers (numbers) or one small regular file (table), try the quick path', () => {
  const { mayBeQuick } = createRequire(import.meta.url)(join(ROOT, 'bin/activ.js')) as { mayBeQuick: (argv: string[]) => string | false };
  expect(mayBeQuick(['sigmoid', '0'])).toBe('numbers');
  expect(mayBeQuick(['gelu', '--', '-3', '.5', '+1e5', 'NaN', '-inf'])).toBe('numbers');
  expect(mayBeQuick(['relu', '--alpha', '0.1', '--', '-1', '2'])).toBe('numbers');
  expect(mayBeQuick(['relu', '--alpha=0.1', '--max_value', '6', '-1', '2'])).toBe('numbers');
  expect(mayBeQuick(['relu', '--alpha', '0.1', 'small.csv'])).toBe(false); // no such file here
  expect(mayBeQuick(['relu', '--alpha', '0.1', CSV])).toBe('table');
  expect(mayBeQuick(['relu', CSV])).toBe('table');
  expect(mayBeQuick(['relu', CSV, CSV])).toBe(false);
  expect(mayBeQuick(['relu', tmp])).toBe(false); // a folder
  expect(mayBeQuick(['relu', join(CSV, 'x')])).toBe(false); // ENOTDIR: main() says why
  const big = join(tmp, 'over64k.csv');
  writeFileSync(big, 'x\n' + '1\n'.repeat(40_000));
  expect(mayBeQuick(['relu', big])).toBe(false);
  const json = join(tmp, 'small.json');
  writeFileSync(json, '[1,2]\n');
  expect(mayBeQuick(['relu', json])).toBe(false); // quick() reads tables only
  expect(mayBeQuick(['relu', '--alpha', '0.1'])).toBe(false);
  expect(mayBeQuick(['relu', '1', '--alpha', '0.1'])).toBe(false);
  expect(mayBeQuick(['relu', 'small.csv'])).toBe(false);
  expect(mayBeQuick(['--help'])).toBe(false);
  // main()'s own options go straight to main(), with or without '=' (quick() would decline them)
  expect(mayBeQuick(['relu', '--to', 'json', CSV])).toBe(false);
  expect(mayBeQuick(['sigmoid', '--grad', '0', '1'])).toBe(false);
  expect(mayBeQuick(['relu', '--alpha', '0.1', '--dtype=float32', '1'])).toBe(false);
  // softmax down the columns is main()'s; along the rows quick() may take it
  expect(mayBeQuick(['softmax', '--axis', '0', CSV])).toBe(false);
  expect(mayBeQuick(['softmax', '--axis=-2', CSV])).toBe(false);
  expect(mayBeQuick(['softmax', '--axis', '-1', CSV])).toBe('table');
  expect(mayBeQuick(['softmax', '--axis=1', '--', '1', '2'])).toBe('numbers');
});

test("bin/activ.js's list of main()'s own long options is the program's", async () => {
  const { MAIN_OPTIONS } = createRequire(import.meta.url)(join(ROOT, 'bin/activ.js')) as { MAIN_OPTIONS: Set<string> };
  const { optionDocs } = await import('../../src/cli/program.js');
  const program = optionDocs().flatMap((o) => o.names.filter((n) => n.startsWith('--')));
  expect([...MAIN_OPTIONS].sort()).toEqual(program.sort());
});

test('a run whose event loop empties before it finished exits 1 with one line, not 0 (bin/activ.js failIfStalled)', async () => {
  const guard = (promise: string) =>
    run(process.execPath, ['-e', `require(${JSON.stringify(join(ROOT, 'bin/activ.js'))}).failIfStalled(${promise})`]);
  const stalled = await guard('new Promise(() => {})'); // nothing left to wait for, never settled
  expect(stalled.code).toBe(1);
  expect(stalled.out).toBe('');
  expect(stalled.err).toMatch(/^activ: internal error: the run stopped before it was complete [^\n]*\n$/);
  expect(await guard('new Promise((r) => setTimeout(r, 20))')).toMatchObject({ code: 0, out: '', err: '' });
  // a run that set its own exit code keeps it
  expect(await guard('new Promise(() => { process.exitCode = 2 })')).toMatchObject({ code: 2, err: '' });
});

/**
 * stdout as a pipe left non-blocking by whoever shares it, small (4 KB) and read slowly: direct
 * writes (the quick path's and main()'s, fs.writeSync) meet EAGAIN once it is full and hand the
 * rest to process.stdout. python3 sets O_NONBLOCK and the size (Node cannot, on a pipe it did not create).
 */
const NONBLOCKING_PIPE = `
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
p = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
os.close(w)
time.sleep(0.3)
out = b''
while True:
    b = os.read(r, 4096)
    if not b: break
    out += b
    time.sleep(0.001)
err = p.stderr.read().decode()
sys.stdout.write('%d %r\\n' % (p.wait(), err))
sys.stdout.flush()
sys.stdout.buffer.write(out)
`;

const ROWS = join(tmp, 'rows.csv');
writeFileSync(ROWS, 'x,y\n' + Array.from({ length: 1200 }, (_, i) => `${i / 1000},${-i / 7}`).join('\n') + '\n'); // about 49 KB out: under DIRECT_LIMIT, over the pipe

test.each([
  ['the quick path', ['sigmoid', ...Array.from({ length: 3000 }, (_, i) => String((i + 1) / 1000))]],
  ['main()', ['sigmoid', ROWS]],
])('a non-blocking stdout pipe with a slow reader gets every byte (%s)', { timeout: 60_000 }, async (_, args) => {
  const plain = await run(process.execPath, [join(ROOT, 'bin/activ.js'), ...args]);
  expect(plain.code).toBe(0);
  expect(plain.out.length).toBeGreaterThan(40_000);
  const r = await run('python3', ['-c', NONBLOCKING_PIPE, process.execPath, join(ROOT, 'bin/activ.js'), ...args]).catch(() => undefined);
  if (r === undefined || r.code !== 0) {
    console.warn('note: python3 did not run; the non-blocking pipe test is skipped');
    return;
  }
  const nl = r.out.indexOf('\n');
  expect(r.out.slice(0, nl)).toBe("0 ''");
  expect(r.out.slice(nl + 1)).toBe(plain.out);
});

describe.concurrent('a regular file on stdin is read from fd 0 directly while small (stdin-fd.ts)', { timeout: 60_000 }, () => {
  const A = join(ROOT, 'bin/activ.js');
  const BIG = join(tmp, 'big.csv'); // past the 64 KB read directly: process.stdin reads on
  writeFileSync(BIG, 'x,y\n' + Array.from({ length: 9000 }, (_, i) => `${i / 100},${-i}`).join('\n') + '\n');

  test.each([
    ['small', CSV],
    ['over 64 KB', BIG],
    ['empty', join(tmp, 'empty.csv')],
  ])('%s: the same bytes as the file named', async (_, file) => {
    if (!file.endsWith('big.csv') && !file.endsWith('small.csv')) writeFileSync(file, '');
    const named = await run(process.execPath, [A, 'relu', '--from', 'csv', file]);
    const piped = await sh(`node "${A}" relu --from csv < "${file}"`);
    expect(piped).toEqual(named);
  });

  test('from where the shell left the descriptor, not from the start of the file', async () => {
    const r = await sh(`{ read -r header; node "${A}" relu; } < "${CSV}"`);
    expect(r).toMatchObject({ code: 0, out: '1,0\n0,4\n', err: '' });
  });

  test('the quick path (src/io/small-table.ts) leaves the descriptor at the end, as main() does', async () => {
    const quick = await sh(`{ node "${A}" relu; echo rest; cat; } < "${CSV}"`);
    const main = await sh(`{ node "${A}" relu --to csv; echo rest; cat; } < "${CSV}"`); // an option: main()
    expect(quick).toMatchObject({ code: 0, out: 'a,b\n1,0\n0,4\nrest\n', err: '' });
    expect(main).toEqual(quick);
    // a file quick() leaves to main() (a text column): main() reads it from where it was
    const labelled = join(tmp, 'labelled.csv');
    writeFileSync(labelled, 'k,x\nk1,-1\n');
    const left = await sh(`{ read -r header; node "${A}" relu; echo rest; cat; } < "${labelled}"`);
    expect(left.out).toBe('k1,0\nrest\n');
  });
});

describe("Node's modules a small run loads", () => {
  /** The builtin modules (NativeModule ...) loaded after the preload, and the run's result. */
  async function loads(args: string[]): Promise<{ code: number; modules: string[] }> {
    const preload = join(tmp, 'modules.cjs');
    const log = join(tmp, `modules-${copies++}.json`);
    writeFileSync(
      preload,
      `const before = new Set(process.moduleLoadList);
       process.on('exit', () => require('node:fs').writeFileSync(process.env.ACTIV_TEST_MODULES,
         JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13)))));`,
    );
    const r = await run(process.execPath, ['-r', preload, join(ROOT, 'bin/activ.js'), ...args], { cwd: tmp, env: { ...process.env, ACTIV_TEST_MODULES: log } });
    expect(r.err).toBe('');
    return { code: r.code, modules: JSON.parse(readFileSync(log, 'utf8')) as string[] };
  }
  const STREAMS = ['stream', 'crypto', 'internal/fs/streams', 'net'];

  test('-o FILE with a small output: neither node:crypto (the temporary name) nor a stream (the writes)', async () => {
    const out = join(tmp, 'o.csv');
    const r = await loads(['relu', '-c', '2', CSV, '-o', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('a,b\n1,0\n-3,4\n');
    expect(r.modules.filter((m) => STREAMS.includes(m))).toEqual([]);
  });

  test('a .npy run does not load the zip library (fflate starts node:module and worker_threads)', async () => {
    const json = join(tmp, 'x.json');
    writeFileSync(json, '[[1, -2, 3], [0.5, 4, -1]]');
    const npy = join(tmp, 'x.npy');
    expect((await run(process.execPath, [join(ROOT, 'bin/activ.js'), 'relu', json, '-o', npy])).code).toBe(0); // made through npz.ts
    const r = await loads(['gelu', npy, '-o', join(tmp, 'y.npy')]);
    expect(r.code).toBe(0);
    expect(r.modules.filter((m) => m === 'module' || m === 'worker_threads')).toEqual([]);
    expect(readFileSync(join(tmp, 'y.npy')).length).toBe(readFileSync(npy).length);
  });

  test('check reads a plain CSV without csv-parse; csv-parse and gunzip are fed without pipe(), which creates process.stdout and stderr', async () => {
    const theirs = join(tmp, 'theirs.csv');
    writeFileSync(theirs, 'a,b\n0.7310585786300049,0.11920292202211755\n0.04742587317756678,0.9820137900379085\n');
    const check = await loads(['check', 'sigmoid', CSV, theirs]);
    expect(check.code).toBe(0);
    expect(check.modules.filter((m) => STREAMS.includes(m))).toEqual([]); // the plain lane: no stream at all
    process.env.ACTIV_LANE = 'general'; // csv-parse, a stream
    const parsed = await loads(['check', 'sigmoid', CSV, theirs]).finally(() => delete process.env.ACTIV_LANE);
    expect(parsed.code).toBe(0);
    expect(parsed.modules).toContain('stream');
    expect(parsed.modules).not.toContain('net');
    const gz = join(tmp, 'small.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(CSV)));
    const r = await loads(['relu', gz]);
    expect(r.code).toBe(0);
    expect(r.modules).toContain('zlib');
    expect(r.modules).not.toContain('net');
  });

  test.each([['list'], ['--help'], ['describe', 'softmax'], ['plot', 'sigmoid']].map((a) => [a.join(' '), a] as const))('%s to a pipe creates no stdout stream to ask whether it is a terminal', async (_, args) => {
    const r = await loads([...args]);
    expect(r.code).toBe(0);
    expect(r.modules.filter((m) => STREAMS.includes(m) || m === 'tty')).toEqual([]);
  });
});

/**
 * Start-up (issue 11): bin/activ.js compiles dist/bundle/quick.cjs and main.cjs from their V8 code
 * caches only when a cache was made from those very bytes (each cache holds a copy of them). A stale, damaged or missing cache
 * costs the compile, never other output; the source that runs is the file on disk.
 * Each test runs a copy of bin/ and dist/bundle/ in a temporary folder.
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
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist/bundle'), join(dir, 'dist/bundle'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

/** How each bundle of the copy in `dir` loads: used, stale, missing, rejected. */
async function statuses(dir: string): Promise<{ quick: string; main: string }> {
  const script = `const { loadBundle } = require(${JSON.stringify(join(dir, 'bin/activ.js'))});
    console.log(JSON.stringify({ quick: loadBundle('quick').status, main: loadBundle('main').status }));`;
  const r = await run(process.execPath, ['-e', script], { cwd: tmp });
  expect(r.err).toBe('');
  return JSON.parse(r.out) as { quick: string; main: string };
}

/** stdout, stderr and exit code of each start-up form, run by the copy in `dir`. */
async function outputs(dir: string): Promise<string[]> {
  const rs = await Promise.all(FORMS.map((args) => run(process.execPath, [join(dir, 'bin/activ.js'), ...args], { cwd: tmp })));
  return rs.map((r) => `${r.code} ${JSON.stringify(r.out)} ${JSON.stringify(r.err)}`);
}

describe.concurrent('code caches', { timeout: 120_000 }, () => {
  test('the build made both caches from the bundles it wrote, and they are used', async () => {
    expect(await statuses(copy())).toEqual({ quick: 'used', main: 'used' });
  });

  test('without caches the output is byte for byte the same', async () => {
    const plain = copy();
    for (const name of ['quick', 'main']) unlinkSync(join(plain, `dist/bundle/${name}.cache`));
    expect(await statuses(plain)).toEqual({ quick: 'missing', main: 'missing' });
    const expected = await outputs(copy());
    expect(expected[0]).toBe('0 "0.5\\n" ""');
    expect(expected[2]).toBe('0 "a,b\\n1,0\\n0,4\\n" ""');
    expect(await outputs(plain)).toEqual(expected);
  });

  test('a bundle edited after its cache was made runs from its source, not from the cache', async () => {
    // the same length, so V8's own check (which compares lengths) would take the cache
    const dir = copy();
    const file = join(dir, 'dist/bundle/quick.cjs');
    const text = readFileSync(file, 'latin1');
    const edited = text.replace('.join(" ")', '.join("_")');
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    writeFileSync(file, edited, 'latin1');
    expect(await statuses(dir)).toEqual({ quick: 'stale', main: 'used' });
    const r = await run(process.execPath, [join(dir, 'bin/activ.js'), 'relu', '--', '-1', '2'], { cwd: tmp });
    expect(r).toMatchObject({ code: 0, out: '0_2\n', err: '' });
  });

  test('a cache V8 refuses is rejected cleanly, and the output does not change', async () => {
    const dir = copy();
    const cache = join(dir, 'dist/bundle/main.cache');
    const bytes = readFileSync(cache);
    const v8 = 4 + bytes.readUInt32LE(0); // after our length and copy of the bundle
    bytes.fill(0, v8, v8 + 16); // V8's own header (magic number, version and flag hashes)
    writeFileSync(cache, bytes);
    expect(await statuses(dir)).toEqual({ quick: 'used', main: 'rejected' });
    expect(await outputs(dir)).toEqual(await outputs(copy()));
  });

  test("a cache whose copy of the bundle differs in one byte is stale, and V8's data behind it is not used", async () => {
    const dir = copy();
    const cache = join(dir, 'dist/bundle/main.cache');
    const bytes = readFileSync(cache);
    bytes[4 + (bytes.readUInt32LE(0) >> 1)] ^= 1; // the middle of the copy
    writeFileSync(cache, bytes);
    expect(await statuses(dir)).toEqual({ quick: 'used', main: 'stale' });
    expect(await outputs(dir)).toEqual(await outputs(copy()));
  });

  test('commander is a bundle of its own, loaded with its cache only by a command with an option; a stale cache runs it from source', async () => {
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
    const stale = copy();
    const cache = join(stale, 'dist/bundle/vendor-commander.cache');
    const bytes = readFileSync(cache);
    bytes[4 + (bytes.readUInt32LE(0) >> 1)] ^= 1;
    writeFileSync(cache, bytes);
    expect(await bundles(stale, ['relu', '--max-value', '6', CSV])).toEqual({ out: withOption.out, loaded: { main: 'used', 'vendor-commander': 'stale' } });
  });

  test('a truncated cache is stale', async () => {
    const dir = copy();
    const cache = join(dir, 'dist/bundle/quick.cache');
    writeFileSync(cache, readFileSync(cache).subarray(0, 6));
    expect(await statuses(dir)).toEqual({ quick: 'stale', main: 'used' });
    expect((await outputs(dir))[0]).toBe('0 "0.5\\n" ""');
  });
});

test('only parameter-like flags, then operands that start like numbers or one small regular file, try the quick path', () => {
  const { mayBeQuick } = createRequire(import.meta.url)(join(ROOT, 'bin/activ.js')) as { mayBeQuick: (argv: string[]) => boolean };
  expect(mayBeQuick(['sigmoid', '0'])).toBe(true);
  expect(mayBeQuick(['gelu', '--', '-3', '.5', '+1e5', 'NaN', '-inf'])).toBe(true);
  expect(mayBeQuick(['relu', '--alpha', '0.1', '--', '-1', '2'])).toBe(true);
  expect(mayBeQuick(['relu', '--alpha=0.1', '--max_value', '6', '-1', '2'])).toBe(true);
  expect(mayBeQuick(['relu', '--alpha', '0.1', 'small.csv'])).toBe(false); // no such file here
  expect(mayBeQuick(['relu', '--alpha', '0.1', CSV])).toBe(true);
  expect(mayBeQuick(['relu', CSV])).toBe(true);
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
  expect(mayBeQuick(['softmax', '--axis', '-1', CSV])).toBe(true);
  expect(mayBeQuick(['softmax', '--axis=1', '--', '1', '2'])).toBe(true);
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

/**
 * At home in the shell (#14): the man page and completion scripts match --help and the
 * catalogue, typos in flags get a suggestion, --decimals in every writer and lane.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { activ, has, ROOT, run, sh } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-shell-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const MAN = join(ROOT, 'dist/man/activ.1');

/** Every --long and -s flag in the Options section of --help, and the parameter flags line. */
function helpFlags(help: string): string[] {
  const options = help.slice(help.indexOf('\nOptions:'), help.indexOf('\nExit status'));
  return [...new Set(options.match(/(?<=^|[\s,])--?[a-z][a-z0-9-]*/gm) ?? [])];
}

describe.concurrent('man page', { timeout: 60_000 }, () => {
  test('renders with man -l, and names every option and parameter flag of --help', async (ctx) => {
    if (!(await has('man'))) {
      console.log('man page: skipped, man is not installed (apt-get install man-db groff-base)');
      ctx.skip();
    }
    const page = await sh(`MANWIDTH=200 man -l '${MAN}' | col -b`, { env: { MANPAGER: 'cat', PAGER: 'cat' } });
    expect(page.code).toBe(0);
    expect(page.out).toMatch(/^ACTIV\(1\)/);
    const help = (await activ(['--help'])).out;
    const flags = helpFlags(help);
    expect(flags).toContain('--decimals');
    expect(flags).toContain('--max-value');
    expect(flags.length).toBeGreaterThan(30);
    const text = page.out.replace(/\u2010/g, '-');
    const missing = flags.filter((f) => !new RegExp(`(^|[\\s,])${f}([\\s,=]|$)`, 'm').test(text));
    expect(missing).toEqual([]);
    for (const name of ['softmax', 'leaky_relu', 'gelu', 'sparsemax']) expect(text).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });
  test('groff finds nothing to warn about', async (ctx) => {
    if (!(await has('groff'))) ctx.skip();
    const r = await run('groff', ['-man', '-ww', '-z', MAN]);
    expect(r).toMatchObject({ code: 0, err: '' });
  });
});

/** The candidates bash offers for the words typed so far (the last one is being completed). */
let bashScript: Promise<string> | undefined;
async function complete(words: string[]): Promise<string[]> {
  bashScript ??= activ(['completion', 'bash']).then((r) => {
    const file = join(tmp, 'activ.bash');
    writeFileSync(file, r.out);
    return file;
  });
  const script = await bashScript;
  const quoted = words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ');
  const r = await run('bash', [
    '-c',
    `source '${script}' && complete -p activ && COMP_WORDS=(activ ${quoted}) && COMP_CWORD=${words.length} && { _activ; printf '%s\\n' "\${COMPREPLY[@]}"; }`,
  ], { cwd: tmp });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const [registration, ...candidates] = r.out.trimEnd().split('\n');
  expect(registration).toBe('complete -o filenames -F _activ activ');
  return candidates.filter((c) => c !== '');
}

describe.concurrent('completion', { timeout: 60_000 }, () => {
  test('bash: subcommands, activation names and aliases', async () => {
    expect(await complete(['sig'])).toEqual(['sigmoid']);
    const l = await complete(['l']);
    expect(l).toEqual(expect.arrayContaining(['list', 'leaky_relu', 'linear', 'log_softmax']));
    expect(await complete(['hardt'])).toEqual(['hardtanh']);
    expect(await complete(['describe', 'softm'])).toEqual(['softmax', 'softmin']);
    expect(await complete(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });
  test("bash: options, their values, and the activation's own parameter flags", async () => {
    expect(await complete(['relu', '--max'])).toEqual(['--max-value']);
    expect(await complete(['relu', '--de'])).toEqual(['--delimiter', '--decimals']);
    expect(await complete(['LeakyReLU', '--neg'])).toEqual(['--negative-slope']);
    expect(await complete(['sigmoid', '--al'])).toEqual([]); // sigmoid has no alpha
    expect(await complete(['gelu', '-c', '2', '--appr'])).toEqual(['--approximate']);
    expect(await complete(['relu', '--to', 'nd'])).toEqual(['ndjson']);
    expect(await complete(['relu', '--on-invalid', ''])).toEqual(['fail', 'skip', 'keep', 'null']);
    expect(await complete(['--from', 'csv', 'soft'])).toEqual(['softmax', 'softplus', 'softsign', 'softmin', 'soft_shrink', 'softshrink']);
  });
  test('bash: files after an activation', async () => {
    writeFileSync(join(tmp, 'scores.csv'), '1\n');
    expect(await complete(['relu', 'sco'])).toEqual(['scores.csv']);
  });
  test('zsh and fish scripts are generated (and load, where the shell is installed)', async () => {
    const z = await activ(['completion', 'zsh']);
    expect(z.out).toMatch(/^#compdef activ\n/);
    expect(z.out).toContain('bashcompinit');
    if (await has('zsh')) expect((await run('zsh', ['-c', 'source /dev/stdin && complete -p activ'], { stdin: z.out })).code).toBe(0);
    const f = await activ(['completion', 'fish']);
    expect(f.out).toMatch(/^complete -c activ -n '__fish_seen_subcommand_from relu' -l max-value -r/m);
    if (await has('fish')) expect((await run('fish', ['-c', 'source'], { stdin: f.out })).code).toBe(0);
    const bad = await activ(['completion', 'tcsh']);
    expect(bad).toMatchObject({ code: 2, out: '' });
    expect(bad.err).toBe("activ: usage: activ completion bash|zsh|fish ('tcsh' is not one of them)\n");
  });
});

describe.concurrent('flags', { timeout: 60_000 }, () => {
  test('a mistyped flag, option or parameter, gets a suggestion', async () => {
    const a = await activ(['relu', '--alpah', '0.1', '--', '-1']);
    expect(a).toMatchObject({ code: 2, out: '' });
    expect(a.err).toBe("activ: unknown option '--alpah'; did you mean --alpha?\nRun 'activ --help' for usage.\n");
    expect((await activ(['relu', '--max-valu', '6', '1'])).err).toMatch(/^activ: unknown option '--max-valu'; did you mean --max-value\?\n/);
    expect((await activ(['relu', '--decimal', '2', '1'])).err).toMatch(/did you mean --decimals\?/);
    expect((await activ(['relu', '--zzzzzzzz', '1'])).err).toBe("activ: unknown option '--zzzzzzzz'\nRun 'activ --help' for usage.\n");
  });
  test('--help wraps at 80 columns when not a terminal', async () => {
    const h = await activ(['--help']);
    const long = h.out.split('\n').filter((l) => l.length > 80);
    expect(long).toEqual([]);
    expect(h.out).toContain('--decimals <digits>');
  });
  test('--version names the program', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await activ(['--version'])).out).toBe(`activ ${pkg.version}\n`);
  });
});

describe.concurrent('--decimals', { timeout: 60_000 }, () => {
  test('every writer: text, CSV (both lanes), NDJSON, JSON document', async () => {
    expect((await activ(['linear', '--decimals', '2', '--', '0.125', '0.375', '-2.5', '1e22', '-1e-9'])).out).toBe(
      '0.12 0.38 -2.50 10000000000000000000000.00 -0.00\n',
    );
    const csv = 'a,b\n0.125,x\n2.5,y\n1e21,z\n';
    const want = 'a,b\n0.12,x\n2.50,y\n1000000000000000000000.00,z\n';
    expect((await activ(['linear', '--decimals', '2', '-c', '1'], { stdin: csv })).out).toBe(want);
    expect((await activ(['linear', '--decimals', '2', '-c', '1'], { stdin: csv, env: { ACTIV_LANE: 'general' } })).out).toBe(want);
    expect((await activ(['linear', '--decimals', '0', '--from', 'ndjson'], { stdin: '[0.5, 1.5]\n{"v": 2.5}\n' })).out).toBe('[0,2]\n{"v":2}\n');
    expect((await activ(['softmax', '--decimals', '3', '--from', 'json'], { stdin: '[[0, 0], [1, 1]]' })).out).toBe('[[0.500,0.500],[0.500,0.500]]\n');
    expect((await activ(['softmax', '--axis', '0', '--decimals', '1'], { stdin: 'a,b\n0,1\n0,1\n' })).out).toBe('a,b\n0.5,0.5\n0.5,0.5\n');
  });
  test('the fast lane over a file agrees with the general lane (worker threads: test/fastlane/decimals.test.ts)', async () => {
    const lines = ['x,y'];
    for (let i = 0; i < 50_000; i++) lines.push(`${(i % 1000) / 8 - 60},${i}`);
    const file = join(tmp, 'big.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const fast = await activ(['tanh', '--decimals', '4', file]);
    const general = await activ(['tanh', '--decimals', '4', file], { env: { ACTIV_LANE: 'general' } });
    expect(fast.code).toBe(0);
    expect(fast.out).toBe(general.out);
    expect(fast.out.split('\n')[1]).toBe('-1.0000,0.0000');
  });
  test('bad values and --precision together are usage errors', async () => {
    expect((await activ(['relu', '--decimals', '101', '1'])).err).toBe(
      "activ: --decimals '101': expected a whole number of digits after the point, 0 to 100\n",
    );
    expect((await activ(['relu', '--decimals', '-1', '1'])).code).toBe(2);
    expect((await activ(['relu', '--decimals', '2', '--precision', '3', '1'])).err).toMatch(/give one of them/);
  });
});

describe.concurrent('progress line', { timeout: 120_000 }, () => {
  const PROGRESS = /^\r(\x1b\[2m)?activ: [\d.]+ (B|KiB|MiB) of [\d.]+ MiB \(\d+%\), [\d.]+ (B|KiB|MiB)\/s(, ETA \d+:\d\d)?(, pass \d)?(\x1b\[0m)?\x1b\[K$/;
  let big: string | undefined;
  function bigFile(): string {
    if (big) return big;
    const lines = ['x,y'];
    for (let i = 0; i < 300_000; i++) lines.push(`${(i % 1013) / 100 - 5},${i % 17}`);
    lines.push('oops,1'); // skipped with --on-invalid skip: a note at the end
    big = join(tmp, 'progress.csv');
    writeFileSync(big, lines.join('\n') + '\n');
    return big;
  }
  const NOW = { ACTIV_PROGRESS_DELAY_MS: '0' };

  test('--progress forces it on a pipe: lines redrawn in place, cleared before a note and at the end', async () => {
    const file = bigFile();
    const quiet = await activ(['softmax', '--axis', '0', '--on-invalid', 'skip', file], { env: NOW });
    expect(quiet.err).toBe('activ: skipped 1 row with values that are not numbers\n');
    const r = await activ(['softmax', '--axis', '0', '--on-invalid', 'skip', '--progress', file], { env: { ...NOW, NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.out).toBe(quiet.out);
    const parts = r.err.split(/(?=\r)/);
    const drawn = parts.filter((p) => p !== '\r\x1b[K' && !p.startsWith('\r\x1b[Kactiv: skipped'));
    expect(drawn.length).toBeGreaterThan(0);
    for (const p of drawn) expect(p).toMatch(PROGRESS);
    expect(r.err).not.toContain('\x1b[2m'); // NO_COLOR
    expect(r.err.endsWith('\r\x1b[Kactiv: skipped 1 row with values that are not numbers\n')).toBe(true);
  });
  test('never on a pipe by default, nor with --no-progress', async () => {
    const file = bigFile();
    expect((await activ(['sigmoid', '-q', '--on-invalid', 'skip', file], { env: NOW })).err).toBe('');
    expect((await activ(['sigmoid', '-q', '--on-invalid', 'skip', '--no-progress', '--progress', file], { env: NOW })).err).not.toBe(''); // the last flag wins
  });
  test('on a terminal by default when the output goes to a file (script(1) gives it a terminal)', async (ctx) => {
    if (!(await has('script'))) {
      console.log('progress on a terminal: skipped, script(1) is not installed');
      ctx.skip();
    }
    const file = bigFile();
    const out = join(tmp, 'progress-out.csv');
    const cmd = `'${process.execPath}' '${join(ROOT, 'bin/activ.js')}' sigmoid --on-invalid skip '${file}' -o '${out}'`;
    const r = await run('script', ['-qec', cmd, '/dev/null'], { env: NOW });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\r\x1b\[2mactiv: [\d.]+ (B|KiB|MiB) of [\d.]+ MiB/);
    expect(r.out).toContain('\r\x1b[Kactiv: skipped 1 row'); // the line cleared before the note
    const noColor = await run('script', ['-qec', cmd, '/dev/null'], { env: { ...NOW, NO_COLOR: '1' } });
    expect(noColor.out).toMatch(/\ractiv: [\d.]+ (B|KiB|MiB) of/);
    expect(noColor.out).not.toContain('\x1b[2m');
  });
});

describe.concurrent('--header-out', { timeout: 60_000 }, () => {
  test('never: CSV, TSV and text lose the header line; records keep their keys; bad values are usage errors', async () => {
    expect((await activ(['relu', '--header-out', 'never'], { stdin: 'a,b\n-1,2\n' })).out).toBe('0,2\n');
    expect((await activ(['relu', '--header-out', 'never', '--from', 'tsv'], { stdin: 'a\tb\n-1\t2\n' })).out).toBe('0\t2\n');
    expect((await activ(['relu', '--header-out', 'never', '--to', 'ndjson'], { stdin: 'a,b\n-1,2\n' })).out).toBe('{"a":0,"b":2}\n');
    expect((await activ(['softmax', '--axis', '0', '--header-out', 'never'], { stdin: 'a\n1\n1\n' })).out).toBe('0.5\n0.5\n');
    expect((await activ(['relu', '--header-out', 'auto'], { stdin: 'a,b\n-1,2\n' })).out).toBe('a,b\n0,2\n');
    const bad = await activ(['relu', '--header-out', 'sometimes'], { stdin: 'a\n1\n' });
    expect(bad).toMatchObject({ code: 2, err: "activ: --header-out 'sometimes': expected one of auto, never\n" });
  });
});

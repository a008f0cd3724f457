/**
 * The package as a user gets it (#14): npm pack, a global install into a temporary prefix, the
 * installed `activ` and its man page from outside the repository, and the library by import and
 * by require from a fresh project. Needs the npm registry's cache or network for the three
 * dependencies (commander, csv-parse, csv-stringify).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { has, ROOT, run, sh } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const PREFIX = join(tmp, 'prefix');
const PROJECT = join(tmp, 'project');
const QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
let tarball = '';
let files: string[] = [];

beforeAll(async () => {
  // dist/ is built (npm test's pretest); --ignore-scripts packs it as it is
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT });
  expect(pack.code).toBe(0);
  const info = JSON.parse(pack.out) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, info[0].filename);
  files = info[0].files.map((f) => f.path);
  const g = await run('npm', ['install', '-g', '--prefix', PREFIX, ...QUIET, tarball], { cwd: tmp });
  expect(g.err).toBe('');
  expect(g.code).toBe(0);
  mkdirSync(PROJECT);
  writeFileSync(join(PROJECT, 'package.json'), '{ "name": "try-activ", "private": true }\n');
  const p = await run('npm', ['install', ...QUIET, tarball], { cwd: PROJECT });
  expect(p.code).toBe(0);
}, 300_000);

describe.concurrent('the packed tarball', { timeout: 120_000 }, () => {
  test('holds the program, its man page and LICENSE; no source maps, no sources', () => {
    expect(tarball).toMatch(/activ-cli-\d+\.\d+\.\d+\.tgz$/);
    for (const f of ['bin/activ.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/man/activ.1', 'LICENSE', 'README.md', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });
  test('installed globally: activ runs from outside the repository', async () => {
    const bin = join(PREFIX, 'bin', 'activ');
    expect(existsSync(bin)).toBe(true);
    const r = await run(bin, ['relu', '--alpha', '0.1', '--', '-1', '2'], { cwd: tmp });
    expect(r).toMatchObject({ code: 0, out: '-0.1 2\n', err: '' });
    const csv = await run(bin, ['sigmoid'], { cwd: tmp, stdin: 'x\n0\n' });
    expect(csv.out).toBe('x\n0.5\n');
    expect((await run(bin, ['--version'], { cwd: tmp })).out).toMatch(/^activ \d+\.\d+\.\d+\n$/);
  });
  test('man activ finds the installed page', async (ctx) => {
    expect(readdirSync(join(PREFIX, 'share/man/man1'))).toContain('activ.1');
    if (!(await has('man'))) {
      console.log('man activ: skipped, man is not installed');
      ctx.skip();
    }
    const r = await sh('man activ | col -b', { cwd: tmp, env: { MANPATH: join(PREFIX, 'share/man'), MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '100' } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ACTIV\(1\)/);
    expect(r.out).toMatch(/--decimals/);
  });
  test('the library by import and by require', async () => {
    const esm = await run(process.execPath, ['--input-type=module', '-e', "import { evaluate } from 'activ-cli'; console.log(evaluate('sigmoid', 0))"], { cwd: PROJECT });
    expect(esm).toMatchObject({ code: 0, out: '0.5\n', err: '' });
    writeFileSync(join(PROJECT, 'try.cjs'), "const { evaluate, lookup } = require('activ-cli');\nconsole.log(evaluate('relu', [-1, 2]).join(' '), lookup('swish').name);\n");
    const cjs = await run(process.execPath, ['try.cjs'], { cwd: PROJECT });
    expect(cjs).toMatchObject({ code: 0, out: '0 2 silu\n', err: '' });
  });
});

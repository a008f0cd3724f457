/** Compressed input and output (#14): gzip files and stdin, -o NAME.gz, the others refused. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { activ, has, run } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-gz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CSV = 'id,x,y\na,-1,2\nb,3,-4\n';
const RELU = 'id,x,y\na,0,2\nb,3,0\n';

describe.concurrent('gzip', { timeout: 60_000 }, () => {
  test('a .gz file, with the format from the name under .gz', async () => {
    writeFileSync(join(tmp, 'small.csv.gz'), gzipSync(CSV));
    const r = await activ(['relu', '-c', '2-', join(tmp, 'small.csv.gz')]);
    expect(r).toMatchObject({ code: 0, out: RELU, err: '' });
    writeFileSync(join(tmp, 'rows.ndjson.gz'), gzipSync('[-1,2]\n[3,-4]\n'));
    expect((await activ(['relu', join(tmp, 'rows.ndjson.gz')])).out).toBe('[0,2]\n[3,0]\n');
  });
  test('gzip on stdin, told by its magic bytes', async () => {
    expect(await activ(['relu', '-c', '2-'], { stdin: gzipSync(CSV) })).toMatchObject({ code: 0, out: RELU, err: '' });
  });
  test('a large gzip file: the same bytes as the plain file, along rows and down columns', async () => {
    const lines = ['x,y'];
    for (let i = 0; i < 200_000; i++) lines.push(`${(i % 977) / 50 - 9},${i % 13}`);
    const text = lines.join('\n') + '\n';
    writeFileSync(join(tmp, 'big.csv'), text);
    writeFileSync(join(tmp, 'big.csv.gz'), gzipSync(text));
    const plain = await activ(['sigmoid', join(tmp, 'big.csv')]);
    const gz = await activ(['sigmoid', join(tmp, 'big.csv.gz')]);
    expect(gz.code).toBe(0);
    expect(gz.out).toBe(plain.out);
    const col = await activ(['softmax', '--axis', '0', join(tmp, 'big.csv')]);
    expect((await activ(['softmax', '--axis', '0', join(tmp, 'big.csv.gz')])).out).toBe(col.out);
  });
  test('-o NAME.gz writes gzip, replacing the file only on success', async () => {
    const out = join(tmp, 'out.csv.gz');
    const r = await activ(['relu', '-c', '2-', '-o', out], { stdin: CSV });
    expect(r).toMatchObject({ code: 0, out: '', err: '' });
    expect(gunzipSync(readFileSync(out)).toString()).toBe(RELU);
    const bad = await activ(['relu', '-o', out], { stdin: 'x\n1\nfoo\n' });
    expect(bad.code).toBe(1);
    expect(gunzipSync(readFileSync(out)).toString()).toBe(RELU);
  });
  test('a truncated gzip file is a data error on one line', async () => {
    writeFileSync(join(tmp, 'cut.csv.gz'), gzipSync('x,y\n' + '1,2\n'.repeat(500)).subarray(0, 30));
    const r = await activ(['relu', join(tmp, 'cut.csv.gz')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^activ: ${join(tmp, 'cut.csv.gz')}: bad gzip data: [^\\n]+\\n$`));
  });
});

describe.concurrent('other compressions are refused with the tool to use', { timeout: 60_000 }, () => {
  for (const [tool, flag] of [
    ['zstd', '-q -c'],
    ['xz', '-c'],
    ['bzip2', '-c'],
  ] as const) {
    test(tool, async (ctx) => {
      if (!(await has(tool))) {
        console.log(`${tool}: skipped, not installed`);
        ctx.skip();
      }
      const file = join(tmp, `data.csv.${tool}`);
      writeFileSync(join(tmp, `plain-${tool}.csv`), CSV);
      expect((await run('/bin/sh', ['-c', `${tool} ${flag} '${join(tmp, `plain-${tool}.csv`)}' > '${file}'`])).code).toBe(0);
      const want = `${tool}-compressed data; activ decompresses gzip only: decompress it first (${tool} -dc)\n`;
      expect(await activ(['relu', file])).toMatchObject({ code: 1, out: '', err: `activ: ${file}: ${want}` });
      expect(await activ(['relu'], { stdin: readFileSync(file) })).toMatchObject({ code: 1, out: '', err: `activ: <stdin>: ${want}` });
    });
  }
});

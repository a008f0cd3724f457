/**
 * src/io/small-table.ts on its own: what it answers for a named file and for a descriptor (read
 * from the descriptor's offset, left at the end only when answered). The comparison with main()
 * over generated files is test/cli/quick.test.ts's.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { smallTable, SMALL_TABLE_BYTES, type SmallTablePlan } from '../../src/io/small-table.js';
import { lookup } from '../../src/kernels/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'activ-small-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function plan(from: SmallTablePlan['from'], name = 'relu'): SmallTablePlan {
  return { from, kernel: lookup(name).bind({}), name };
}

const text = (o: Awaited<ReturnType<typeof smallTable>>) => o && { notes: o.notes, out: o.head + Buffer.from(o.body).toString('utf8') };

test('a named CSV: header written as read, data through the byte lane', async () => {
  expect(text(await smallTable(plan({ path: file('a.csv', 'a,b\r\n1,-2\r\n-3,4') })))).toEqual({ notes: [], out: 'a,b\r\n1,0\r\n0,4\r\n' });
});

test('a label column is passed through byte for byte, with the note main() gives', async () => {
  const path = file('labels.csv', Buffer.concat([Buffer.from('id,x\n'), Buffer.from([0xc3, 0xa9]), Buffer.from(',-1\n')]));
  const o = await smallTable(plan({ path }));
  expect(o?.notes).toEqual([`${path}: column 1 ('id') holds text in the first data row: passed through (choose columns with -c); transformed: 2 ('x')`]);
  expect(Buffer.from(o!.body)).toEqual(Buffer.from([0xc3, 0xa9, 0x2c, 0x30, 0x0a]));
});

test('a descriptor is read from its offset, and left at the end only when answered', async () => {
  const path = file('fd.csv', 'a,b\n1,-2\n-3,4\n');
  const fd = openSync(path, 'r');
  try {
    const skip = Buffer.alloc(4);
    expect(readSync(fd, skip, 0, 4, null)).toBe(4); // the header line, read by someone else
    expect(text(await smallTable(plan({ fd })))).toEqual({ notes: [], out: '1,0\n0,4\n' });
    expect(readSync(fd, Buffer.alloc(8), 0, 8, null)).toBe(0);
  } finally {
    closeSync(fd);
  }
  const left = openSync(file('fd-left.csv', 'a,b\n1,\n'), 'r'); // an empty cell: the lane stops, main() answers
  try {
    expect(await smallTable(plan({ fd: left }))).toBeUndefined();
    const rest = Buffer.alloc(16);
    expect(rest.toString('utf8', 0, readSync(left, rest, 0, 16, null))).toBe('a,b\n1,\n');
  } finally {
    closeSync(left);
  }
});

test.each([
  ['over the bound', 'big.csv', 'x\n' + '1\n'.repeat(SMALL_TABLE_BYTES / 2)],
  ['gzip bytes', 'g.csv', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])],
  ['JSON by its extension', 'j.json', '[1,2]\n'],
  ['JSON by its content', 'j', '[1,2]\n[3,4]\n'],
  ['a quote', 'q.csv', 'a\n"1"\n'],
  ['glu (rows change length)', 'g2.csv', '1,2\n'],
])('%s: undefined (main() answers)', async (_, name, bytes) => {
  expect(await smallTable(plan({ path: file(name, bytes) }, name === 'g2.csv' ? 'glu' : 'relu'))).toBeUndefined();
});

test('a missing path, a path through a file, or a folder: undefined, nothing thrown', async () => {
  expect(await smallTable(plan({ path: join(dir, 'missing.csv') }))).toBeUndefined();
  expect(await smallTable(plan({ path: join(file('plain.csv', '1\n'), 'x.csv') }))).toBeUndefined(); // ENOTDIR
  expect(await smallTable(plan({ path: dir }))).toBeUndefined();
});

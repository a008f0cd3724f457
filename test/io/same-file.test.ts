import { closeSync, linkSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sameNonEmptyFile, stdoutFile } from '../../src/io/same-file.js';

describe('same-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'activ-same-'));
  const a = join(dir, 'a.csv');
  const b = join(dir, 'b.csv');
  const empty = join(dir, 'empty.csv');
  writeFileSync(a, '1\n');
  writeFileSync(b, '1\n');
  writeFileSync(empty, '');
  linkSync(a, join(dir, 'hard.csv'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('stdoutFile: a descriptor on a regular file gives its status; a device or a bad descriptor none', () => {
    const fd = openSync(a, 'a');
    try {
      expect(stdoutFile(fd)?.ino).toBe(statSync(a).ino);
    } finally {
      closeSync(fd);
    }
    const dev = openSync('/dev/null', 'w');
    try {
      expect(stdoutFile(dev)).toBeUndefined();
    } finally {
      closeSync(dev);
    }
    expect(stdoutFile(987_654)).toBeUndefined();
  });

  test('sameNonEmptyFile: the same file under any name, not another file with the same bytes, not an empty one', () => {
    const out = statSync(a);
    expect(sameNonEmptyFile(statSync(a), out)).toBe(true);
    expect(sameNonEmptyFile(statSync(join(dir, 'hard.csv')), out)).toBe(true);
    expect(sameNonEmptyFile(statSync(b), out)).toBe(false);
    expect(sameNonEmptyFile(statSync(empty), statSync(empty))).toBe(false);
    expect(sameNonEmptyFile(statSync(a), undefined)).toBe(false);
  });
});

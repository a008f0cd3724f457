import { describe, expect, test } from 'vitest';
import { ioMessage } from '../../src/io/errno.js';

const err = (code: string, message = `${code}: something, write`): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

describe('ioMessage', () => {
  test.each([
    ['ENOENT', 'f: no such file'],
    ['EACCES', 'f: permission denied'],
    ['ENOSPC', 'f: no space left on device'],
    ['EFBIG', 'f: file too large (over the file size limit, ulimit -f)'],
    ['EMFILE', 'f: too many open files (ulimit -n)'],
    ['EIO', 'f: input/output error (a device or network file system failed)'],
  ])('%s has its own words', (code, want) => {
    expect(ioMessage('f', err(code))).toBe(want);
  });
  test('another code keeps the first line of its message', () => {
    expect(ioMessage('f', err('EXDEV', 'EXDEV: cross-device link\nmore'))).toBe('f: EXDEV: cross-device link');
    expect(ioMessage('f', 'plain')).toBe('f: plain');
  });
});

/**
 * Standard output's failures, for every path that writes to it (the quick path included): a reader
 * that went away (EPIPE) ends quietly with 0; a full disk (ENOSPC) or a closed descriptor (`>&-`,
 * EBADF) is one line on stderr and exit 1. Node replaces a closed stdout by /dev/null opened
 * read-write before any script runs, so `>&-` is recognised by that (Linux: /proc/self/fdinfo).
 */
import { fstatSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { DirectOut } from './direct-out.js';
import { ioMessage } from './errno.js';
import type { OutStream } from './sink.js';

const O_ACCMODE = 3;
const O_RDWR = 2;
const DEV_NULL_RDEV = (1 << 8) | 3; // char device 1,3 on Linux

/** Whether fd 1 was closed when the process started (Node put /dev/null, read-write, in its place). */
export function stdoutWasClosed(fd = 1): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev !== DEV_NULL_RDEV) return false;
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    const flags = /^flags:\s*([0-7]+)/m.exec(info);
    return flags !== null && (parseInt(flags[1], 8) & O_ACCMODE) === O_RDWR;
  } catch {
    return false;
  }
}

function badFd(): NodeJS.ErrnoException {
  return Object.assign(new Error('bad file descriptor'), { code: 'EBADF' });
}

/** A stream that fails every write with EBADF: standard output when `>&-` closed it. */
export function closedOutput(): Writable {
  return new Writable({ write: (_chunk, _enc, cb) => cb(badFd()) });
}

/** Standard output as the CLI should use it: written directly (then the real stream), or one that reports it closed. */
export function stdoutStream(): OutStream {
  return stdoutWasClosed() ? closedOutput() : new DirectOut();
}

/** What an error on stdout means: undefined for a closed pipe (exit 0), else the one-line message. */
export function stdoutFailure(e: NodeJS.ErrnoException): string | undefined {
  if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return undefined;
  return ioMessage('stdout', e);
}

/**
 * The quick path's writer: standard output as stdoutStream() gives it (fd 1 written directly,
 * process.stdout only for a long output or a descriptor left non-blocking by whoever shares it).
 * Failures end the process as the full CLI would (see stdoutFailure).
 */
export function quickWrite(s: string | Uint8Array): void {
  const out = (quickOut ??= quickStdout());
  out.write(s);
}

let quickOut: OutStream | undefined;

function quickStdout(): OutStream {
  const out = stdoutStream();
  out.on('error', (e: NodeJS.ErrnoException) => {
    const msg = stdoutFailure(e);
    if (msg === undefined) process.exitCode = 0;
    else {
      process.stderr.write(`activ: ${msg}\n`);
      process.exitCode = 1;
    }
  });
  return out;
}

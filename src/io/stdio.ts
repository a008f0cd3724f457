/**
 * Standard output's failures, for every path that writes to it (the quick path included): a reader
 * that went away (EPIPE) ends quietly with 0; a full disk (ENOSPC) or any other write error is one
 * line on stderr and exit 1.
 *
 * A stdout closed with `>&-` cannot be told apart here: Node replaces a closed fd 1 by /dev/null,
 * opened read-write, before any script runs, which is exactly what Python's subprocess.DEVNULL,
 * Go's os/exec, Node's own stdio 'ignore', systemd and daemon(3) give a child on purpose. activ
 * once took that for `>&-` and failed those callers with exit 1; it now writes to the /dev/null
 * it was given, as for `> /dev/null`.
 */
import { DirectOut } from './direct-out.js';
import { ioMessage } from './errno.js';
import type { OutStream } from './sink.js';

/** Standard output as the CLI should use it: fd 1 written directly (then the real stream). */
export function stdoutStream(): OutStream {
  return new DirectOut();
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

/**
 * A regular file read more than once (sniffing then the fast lane, --axis 0's passes) must be the
 * same file with the same bytes each time: every pass after the first compares the file's device,
 * inode, size and modification time with the first pass's, and a pass that read to the end
 * compares its checksum with an earlier pass over the same range. A change is one line, exit 1
 * (`-o` is then left untouched, as after any failure).
 */
import { spawnSync } from 'node:child_process';
import { statSync, type BigIntStats } from 'node:fs';
import { ActivError } from '../errors.js';
import type { Checksum } from './checksum.js';

/**
 * Tests make passes observable: ACTIV_TEST_PASS_HOOK is a shell command run as each pass begins,
 * with ACTIV_PASS (1, 2, ...) and ACTIV_FILE in its environment (e.g. to change the file).
 */
const HOOK = process.env.ACTIV_TEST_PASS_HOOK;

function testHook(path: string, pass: number): void {
  const hook = HOOK;
  if (hook) spawnSync('/bin/sh', ['-c', hook], { stdio: 'inherit', env: { ...process.env, ACTIV_PASS: String(pass), ACTIV_FILE: path } });
}

/** What identifies a file's content between passes: device, inode, size, modification time (one short string per input). */
type Identity = string;

const identity = (st: BigIntStats): Identity => `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;

const sameFile = (a: Identity, b: Identity): boolean => a === b;

/** The error for a file whose bytes differ between two passes over it. */
export function fileChanged(display: string): ActivError {
  return new ActivError(`${display}: the file changed while activ was reading it (between two passes over it); try again once it is complete`, 'io');
}

export class PassGuard {
  private first: Identity | undefined;
  private passes = 0;
  /** Checksums of passes that read to the end, by their first byte (usually one range, two at most). */
  private sums: [number, string][] | undefined;

  constructor(
    readonly path: string,
    readonly display: string,
  ) {}

  private changed(): ActivError {
    return fileChanged(this.display);
  }

  private now(): Identity | undefined {
    try {
      return identity(statSync(this.path, { bigint: true }));
    } catch {
      return undefined; // gone: the read itself reports it
    }
  }

  /** A pass begins (the file is opened again); `opened`: the file's fstat when the caller has it. */
  begin(opened?: BigIntStats): void {
    this.passes++;
    testHook(this.path, this.passes);
    const st = opened && !HOOK ? identity(opened) : this.now();
    if (!st) return;
    if (!this.first) this.first = st;
    else if (!sameFile(this.first, st)) throw this.changed();
  }

  /**
   * A pass ended; `sum` is the checksum of the bytes from `from` to the end of the file when the
   * pass read them all. A single pass is never compared (a file that grows while it is read once,
   * like a log, is fine).
   */
  end(from: number, sum?: Checksum): void {
    if (this.passes >= 2) {
      const st = this.now();
      if (st && this.first && !sameFile(this.first, st)) throw this.changed();
    }
    if (!sum) return;
    const d = sum.digest();
    this.sums ??= [];
    const seen = this.sums.find((x) => x[0] === from)?.[1];
    if (seen === undefined) this.sums.push([from, d]);
    else if (seen !== d) throw this.changed();
  }
}


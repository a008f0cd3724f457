/**
 * Spawning the built command for end-to-end tests: `node bin/activ.js ARGS` (dist/ from `npm
 * test`'s build) or a shell line, in the repository's root, collecting stdout, stderr and the
 * exit code.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/activ.js');

export interface Result {
  code: number | null;
  out: string;
  err: string;
}

function collect(p: ReturnType<typeof spawn>): Promise<Result> {
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    p.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
    p.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    p.on('error', rej);
    p.on('close', (code) => res({ code, out, err }));
  });
}

/** Run activ with these arguments, stdin text (empty by default) and extra environment. */
export function activ(args: string[], stdin?: string, env?: Record<string, string>): Promise<Result> {
  const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const done = collect(p);
  p.stdin!.on('error', () => {});
  p.stdin!.end(stdin ?? '');
  return done;
}

/** Run a shell line. */
export function sh(script: string): Promise<Result> {
  return collect(spawn('/bin/sh', ['-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
}

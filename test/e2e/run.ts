/** Spawning the built command for end-to-end tests: `activ(args, stdin, env)` and `sh(script)`, both from the repository root. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/activ.js');

export interface Result {
  code: number | null;
  out: string;
  err: string;
}

export function activ(args: string[], stdin?: string, env?: Record<string, string>): Promise<Result> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    p.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    p.on('error', rej);
    p.on('close', (code) => res({ code, out, err }));
    p.stdin.on('error', () => {});
    p.stdin.end(stdin ?? '');
  });
}

export function sh(script: string): Promise<Result> {
  return new Promise((res, rej) => {
    const p = spawn('/bin/sh', ['-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    p.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    p.on('error', rej);
    p.on('close', (code) => res({ code, out, err }));
  });
}


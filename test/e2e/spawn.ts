// Spawning for the shell and package end-to-end tests: the built activ, or any command, with
// bytes on stdin, a working folder and environment (run.ts has the plain text forms).
import { spawn } from 'node:child_process';
import { BIN, ROOT, type Result as TextResult } from './run.js';

export { BIN, ROOT };

export interface Result extends TextResult {
  /** stdout as bytes (gzip output). */
  bytes: Buffer;
}

export interface RunPlan {
  cwd?: string;
  stdin?: string | Buffer;
  env?: Record<string, string | undefined>;
}

/** Run a command to its end; stdin is `plan.stdin` (or empty). */
export function run(cmd: string, args: readonly string[], plan: RunPlan = {}): Promise<Result> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { cwd: plan.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...plan.env } });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (c: Buffer) => out.push(c));
    p.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    p.on('error', rej);
    p.on('close', (code) => {
      const bytes = Buffer.concat(out);
      res({ code, out: bytes.toString('utf8'), err, bytes });
    });
    p.stdin.on('error', () => {});
    p.stdin.end(plan.stdin ?? '');
  });
}

export const activ = (args: readonly string[], plan: RunPlan = {}): Promise<Result> => run(process.execPath, [BIN, ...args], plan);

export const sh = (script: string, plan: RunPlan = {}): Promise<Result> => run('/bin/sh', ['-c', script], plan);

/** Whether a command is on PATH. */
export async function has(command: string): Promise<boolean> {
  return (await sh(`command -v ${command}`)).code === 0;
}

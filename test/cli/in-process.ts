// main() in process, for the CLI tests: stdout and stderr collected as text; stdin a terminal
// (never read) unless text is given for it.
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface MainRun {
  code: number;
  out: string;
  err: string;
}

export async function runMain(argv: string[], plan: { stdout?: PassThrough; stdin?: string } = {}): Promise<MainRun> {
  const stdout = plan.stdout ?? new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (plan.stdin === undefined) stdin.isTTY = true;
  else stdin.end(plan.stdin);
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(argv, { stdout, stderr, stdin });
  return { code, out, err };
}

/**
 * Running one command and measuring it: wall clock from here, peak RSS from GNU time.
 *
 * Wall clock is taken around the whole child (spawn to exit), which is what a user waits for;
 * /usr/bin/time adds about a millisecond, the same for every tool. GNU time's %M is the largest
 * resident set of the process it waited for (for tools that fork, the largest single process,
 * not the sum).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TIME = '/usr/bin/time';

/** GNU time, not the shell keyword or BSD time: only GNU's takes -f '%M' and -o. */
export const hasGnuTime = (() => {
  const r = spawnSync(TIME, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /GNU/.test(`${r.stdout}${r.stderr}`);
})();

const commandCache = new Map();
/** Is a program on PATH? (cached; the tables ask once per tool) */
export function hasCommand(name) {
  if (!commandCache.has(name)) {
    const r = spawnSync('sh', ['-c', `command -v "$1"`, 'sh', name], { encoding: 'utf8' });
    commandCache.set(name, r.status === 0 && r.stdout.trim() !== '');
  }
  return commandCache.get(name);
}

/** First line of a program's version output, for the header of the table. */
export function versionOf(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return null;
  return `${r.stdout || r.stderr}`.split('\n')[0].trim() || null;
}

/**
 * Run once. stdout goes to `out` (a path) or nowhere; stderr is kept (its tail) for the reason
 * shown when a tool fails. The child gets its own process group so a timeout kills the tool and
 * not only the time wrapper.
 */
export function runOnce({ cmd, args, out = null, timeoutS = 600, cwd = process.cwd() }) {
  return new Promise((resolve) => {
    const memFile = hasGnuTime ? path.join(os.tmpdir(), `activ-bench-${process.pid}-${Math.random().toString(36).slice(2)}.time`) : null;
    const argv = hasGnuTime ? ['-f', '%M', '-o', memFile, cmd, ...args] : args;
    const exe = hasGnuTime ? TIME : cmd;
    const outFd = out ? fs.openSync(out, 'w') : 'ignore';
    const t0 = process.hrtime.bigint();
    const child = spawn(exe, argv, { cwd, stdio: ['ignore', outFd, 'pipe'], detached: true });
    if (typeof outFd === 'number') fs.closeSync(outFd);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s) => {
      stderr = (stderr + s).slice(-8192);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutS * 1000);
    const finish = (code, signal, error) => {
      clearTimeout(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      let peakKB = null;
      if (memFile) {
        try {
          // On failure GNU time writes "Command exited with non-zero status N" before the figure.
          const lines = fs.readFileSync(memFile, 'utf8').trim().split('\n');
          const v = Number(lines[lines.length - 1]);
          if (Number.isFinite(v)) peakKB = v;
        } catch {
          // killed before time wrote anything
        }
        fs.rmSync(memFile, { force: true });
      }
      resolve({ ok: !error && code === 0 && !timedOut, code, signal, timedOut, wall, peakKB, stderr, error });
    };
    child.on('error', (e) => finish(null, null, e));
    child.on('close', (code, signal) => finish(code, signal, null));
  });
}

/** Why a run failed, in one line for the table. */
export function failureReason(r) {
  if (r.timedOut) return 'timed out';
  if (r.error) return r.error.message;
  const line =
    r.stderr
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s && !/^Command exited with non-zero status/.test(s))[0] ?? '';
  return `exit ${r.code ?? r.signal}${line ? `: ${line.slice(0, 120)}` : ''}`;
}

/**
 * Best of n. The first run doubles as the probe: if it fails there is no point repeating it.
 * Peak memory is the largest seen over all runs (the conservative figure for a memory target).
 */
export async function bestOf(n, spec) {
  let best = null;
  let peakKB = null;
  for (let i = 0; i < n; i++) {
    const r = await runOnce(spec);
    if (!r.ok) return { ok: false, reason: failureReason(r) };
    if (best === null || r.wall < best) best = r.wall;
    if (r.peakKB !== null) peakKB = Math.max(peakKB ?? 0, r.peakKB);
  }
  return { ok: true, wall: best, peakKB };
}

/** For commands of a few tens of ms: the median of many runs says more than the best one. */
export async function medianOf(n, spec) {
  const walls = [];
  let peakKB = null;
  for (let i = 0; i < n; i++) {
    const r = await runOnce(spec);
    if (!r.ok) return { ok: false, reason: failureReason(r) };
    walls.push(r.wall);
    if (r.peakKB !== null) peakKB = Math.max(peakKB ?? 0, r.peakKB);
  }
  walls.sort((a, b) => a - b);
  return { ok: true, wall: walls[walls.length >> 1], peakKB };
}

/**
 * hyperfine's median for a small command, without a shell in between (-N) so it does not time
 * sh's start-up. Returns null if hyperfine is not installed, so the caller falls back to medianOf.
 */
export function hyperfineMedian(cmdline, runs, cwd) {
  if (!hasCommand('hyperfine')) return null;
  const json = path.join(os.tmpdir(), `activ-bench-hf-${process.pid}.json`);
  const r = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', json, cmdline], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) return null;
  try {
    const res = JSON.parse(fs.readFileSync(json, 'utf8')).results[0];
    return res.median;
  } finally {
    fs.rmSync(json, { force: true });
  }
}

/**
 * The benchmark's own peers (Polars, DuckDB, TensorFlow.js) live in test/bench/node_modules,
 * installed from test/bench/package-lock.json, so the project's `npm ci` downloads none of them.
 * run.mjs calls ensurePeers() first: `npm ci --prefix test/bench` when the folder is missing or
 * older than the lock file; a failed install only leaves those rows saying how to install.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const LOCK = path.join(BENCH_DIR, 'package-lock.json');
const INSTALLED = path.join(BENCH_DIR, 'node_modules', '.package-lock.json');

export const INSTALL_PEERS = 'npm ci --prefix test/bench';

/** Install the peers when they are missing or stale; returns a reason when the install failed, else null. */
export function ensurePeers(log = () => {}) {
  const stale = !fs.existsSync(INSTALLED) || fs.statSync(INSTALLED).mtimeMs < fs.statSync(LOCK).mtimeMs;
  if (!stale) return null;
  log(`installing the benchmark's peers (${INSTALL_PEERS})...`);
  const r = spawnSync('npm', ['ci', '--prefix', BENCH_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return r.status === 0 ? null : `${INSTALL_PEERS} failed (exit ${r.status ?? r.signal})`;
}

/** Whether a peer package is installed in the benchmark's folder. */
export const hasPeer = (name) => fs.existsSync(path.join(BENCH_DIR, 'node_modules', name, 'package.json'));

/** A peer package's installed version, or null. */
export function peerVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

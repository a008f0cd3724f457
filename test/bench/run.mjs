#!/usr/bin/env node
/**
 * activ's benchmark (issue 4): activ against the tools a user would use instead, on the same
 * generated data in the same run, with every output checked numerically. `npm run bench` builds
 * first and runs this; it is not part of `npm test`.
 *
 *   node test/bench/run.mjs [--quick] [--big] [--fresh] [--runs N] [--only SUBSTRING]... [--keep]
 *
 * Rows for activ that cannot run yet (no bin/activ.js, an option not implemented) say why in the
 * table instead of stopping the run, so the harness is useful while activ is being written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compare, DOUBLE_TOL, FLOAT32_TOL, fmtCount, readNumbers, reference } from './check.mjs';
import { dataPlan, ensureData, kernelInput } from './data.mjs';
import { bestOf, hasCommand, hasGnuTime, hyperfineMedian, medianOf, runOnce, failureReason, versionOf } from './measure.mjs';
import { markdownTable } from './table.mjs';
import { ensurePeers, hasPeer, peerVersion } from './setup.mjs';
import { buildTasks, dataKeysOf, NOTES } from './tasks.mjs';
import { NPY_TASK, runNpyBench } from './npy.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const USAGE = `usage: node test/bench/run.mjs [options]
  --quick          10x smaller data (a smoke run); cached apart in .bench-data/quick/
  --big            also the 10x (770 MB) file, for the memory targets (slow to generate)
  --fresh          regenerate the data even if cached
  --runs N         best of N wall-clock runs per tool (default 3)
  --only S         only tasks whose name contains S (repeatable), e.g. --only csv --only kernel
  --keep           keep the tools' outputs in <data dir>/out/ (default: deleted once checked)
  --bin PATH       the activ CLI to run (default bin/activ.js), e.g. another checkout's, to compare builds
  --timeout S      give up on one run after S seconds (default 600)
Peers need: ${'apt-get install gawk mawk miller jq time hyperfine'} (each is optional).`;

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    big: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
    bin: { type: 'string', default: 'bin/activ.js' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(USAGE);
  process.exit(0);
}
const BIN = path.resolve(ROOT, opt.bin);
const RUNS = Math.max(1, Number.parseInt(opt.runs, 10) || 3);
const TIMEOUT = Number(opt.timeout) || 600;
const DATA_DIR = path.join(ROOT, '.bench-data', ...(opt.quick ? ['quick'] : []));
const OUT_DIR = path.join(DATA_DIR, 'out');
const KERNEL_N = opt.quick ? 1_000_000 : 10_000_000;
const STARTUP_RUNS = 30;

const log = (...a) => console.error(...a);
const peerInstallFailure = ensurePeers(log);

// --- which tasks, and which data they need -------------------------------------------------
const selected = (tasks) =>
  opt.only.length === 0 ? tasks : tasks.filter((t) => opt.only.some((s) => t.name.toLowerCase().includes(s.toLowerCase())));

const plan = dataPlan(opt.quick);
const wanted = dataKeysOf(selected(buildTasks({ data: {}, bin: BIN, kernelN: KERNEL_N, big: opt.big })));
const data = {};
for (const key of wanted) data[key] = ensureData(DATA_DIR, plan[key], { fresh: opt.fresh, log });
const tasks = selected(buildTasks({ data, bin: BIN, kernelN: KERNEL_N, big: opt.big }));
const npySelected = selected([{ name: NPY_TASK }]).length > 0; // the .npy row (npy.mjs)
if (tasks.length === 0 && !npySelected) {
  log(`no task matches --only ${opt.only.join(', ')}`);
  process.exit(2);
}
fs.mkdirSync(OUT_DIR, { recursive: true });

// --- running ---------------------------------------------------------------------------------
const rows = [];
const notes = new Set();
if (!hasGnuTime) notes.add('No GNU time (/usr/bin/time): no memory column (apt-get install time).');
if (!opt.big) notes.add('The 10x file (memory targets) was not run: add --big.');

/** Why a tool cannot run at all, before trying it; null when it can. */
function unavailable(t) {
  if (t.usesBin && !fs.existsSync(BIN)) return `${path.relative(ROOT, BIN)} is missing`;
  if (t.needs && !hasCommand(t.needs)) return `${t.needs} not installed (${t.install})`;
  if (t.needsPeer && !hasPeer(t.needsPeer)) return `${t.needsPeer} not installed (${peerInstallFailure ?? t.install})`;
  return null;
}

/** The input's numbers and the reference output, computed at most once per data set and op. */
const inputs = new Map();
const refs = new Map();
async function referenceFor(task) {
  const key = `${task.data}:${task.op}`;
  if (!refs.has(key)) {
    if (!inputs.has(task.data)) inputs.set(task.data, await readNumbers(data[task.data].path));
    refs.set(key, reference(task.op, inputs.get(task.data), data[task.data].cols));
  }
  return refs.get(key);
}

const slug = (s) => s.replace(/[^a-z0-9]+/gi, '-');

async function runCliTask(task) {
  const spec = data[task.data];
  let activ = null; // { wall, numbers }
  for (const t of task.tools) {
    const row = { task: task.name, tool: t.tool, isActiv: !!t.isActiv, bytes: spec.bytes };
    rows.push(row);
    if (t.tool !== 'activ' && NOTES[t.tool]) notes.add(NOTES[t.tool]);
    if (task.note) notes.add(NOTES[task.note]);
    const why = unavailable(t);
    if (why) {
      row.reason = why;
      continue;
    }
    const out = path.join(OUT_DIR, `${slug(task.name)}-${slug(t.tool)}.out`);
    log(`${task.name}: ${t.tool}...`);
    const r = await bestOf(task.runs ?? RUNS, { cmd: t.cmd, args: t.args, out, timeoutS: TIMEOUT, cwd: ROOT });
    if (!r.ok) {
      row.reason = r.reason;
      fs.rmSync(out, { force: true });
      continue;
    }
    Object.assign(row, { wall: r.wall, peakKB: r.peakKB });
    if (t.isActiv) activ = { wall: r.wall };
    if (task.check !== false) {
      // Compare with activ when activ ran (the question is whether the tools agree), with the
      // harness's own double-precision reference otherwise (and always for activ itself).
      // An activ that fails its own check is no yardstick: peers then go against the reference,
      // so the table shows which side is wrong.
      const got = await readNumbers(out);
      if (t.isActiv) {
        const c = compare(got, await referenceFor(task), DOUBLE_TOL);
        row.check = `${c.text} vs ref`;
        if (c.ok) activ.numbers = got;
      } else if (activ?.numbers) {
        row.check = `${compare(got, activ.numbers, DOUBLE_TOL).text} vs activ`;
      } else {
        row.check = `${compare(got, await referenceFor(task), DOUBLE_TOL).text} vs ref`;
      }
    }
    if (!opt.keep) fs.rmSync(out, { force: true });
    log(`  ${r.wall.toFixed(3)} s${row.check ? `, ${row.check}` : ''}`);
  }
  if (activ) for (const row of rows) if (row.task === task.name) row.activWall = activ.wall;
}

async function runStartupTask(task) {
  notes.add(NOTES['start-up']);
  let activWall = null;
  for (const t of task.tools) {
    const row = { task: task.name, tool: t.tool, isActiv: !!t.isActiv };
    rows.push(row);
    const why = unavailable(t);
    if (why) {
      row.reason = why;
      continue;
    }
    log(`${task.name}: ${t.tool}...`);
    // A probe run first: it tells whether the command works, gives the peak memory and the output.
    const out = path.join(OUT_DIR, `start-up-${slug(t.tool)}.out`);
    const probe = await runOnce({ cmd: t.cmd, args: t.args, out, timeoutS: 60, cwd: ROOT });
    if (!probe.ok) {
      row.reason = failureReason(probe);
      continue;
    }
    if (t.expect !== undefined) {
      const got = await readNumbers(out);
      const ok = got.length === t.expect.length && t.expect.every((v, i) => got[i] === v);
      row.check = ok ? `ok (${t.expect.join(' ')})` : `MISMATCH: printed ${Array.from(got).join(' ') || 'nothing'}, expected ${t.expect.join(' ')}`;
    }
    fs.rmSync(out, { force: true });
    const cmdline = [t.cmd, ...t.args].map((a) => (/^[\w./=-]+$/.test(a) ? a : `'${a}'`)).join(' ');
    let wall = hyperfineMedian(cmdline, STARTUP_RUNS, ROOT);
    if (wall == null) {
      const m = await medianOf(STARTUP_RUNS, { cmd: t.cmd, args: t.args, timeoutS: 60, cwd: ROOT });
      if (!m.ok) {
        row.reason = m.reason;
        continue;
      }
      wall = m.wall;
    }
    Object.assign(row, { wall, peakKB: probe.peakKB });
    if (t.isActiv) activWall = wall;
    log(`  ${(wall * 1000).toFixed(1)} ms`);
  }
  if (activWall != null) for (const row of rows) if (row.task === task.name) row.activWall = activWall;
}

let kernelRef = null; // the kernels' input, regenerated here only when a reference is needed
async function runKernelTask(task) {
  notes.add(NOTES['activ kernel']);
  notes.add(NOTES.tfjs);
  if (task.op === 'gelu') notes.add(NOTES['tfjs gelu']);
  let activ = null;
  for (const t of task.tools) {
    const row = { task: task.name, tool: t.tool, isActiv: t.isActiv, bytes: task.n * 8 };
    rows.push(row);
    const why = unavailable(t);
    if (why) {
      row.reason = why;
      continue;
    }
    log(`${task.name}: ${t.tool}...`);
    const values = path.join(OUT_DIR, `${slug(task.name)}-${t.tool}.f64`);
    const report = path.join(OUT_DIR, `${slug(task.name)}-${t.tool}.json`);
    const r = await runOnce({ cmd: t.cmd, args: [...t.args, values], out: report, timeoutS: TIMEOUT, cwd: ROOT });
    // The child reports its own best-of-5 time on its last JSON line; its exit status only
    // says whether it crashed outside that (an uncaught error, out of memory).
    let res = null;
    try {
      const line = fs.readFileSync(report, 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).pop();
      res = JSON.parse(line);
    } catch {
      res = { ok: false, reason: r.ok ? 'no report' : failureReason(r) };
    }
    fs.rmSync(report, { force: true });
    if (!res.ok) {
      row.reason = res.reason;
      fs.rmSync(values, { force: true });
      continue;
    }
    Object.assign(row, { wall: res.best, peakKB: r.peakKB, note: res.note });
    const buf = fs.readFileSync(values);
    fs.rmSync(values, { force: true });
    const got = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
    const tol = t.isActiv ? DOUBLE_TOL : FLOAT32_TOL;
    if (t.isActiv) activ = { wall: res.best, numbers: null };
    if (!t.isActiv && activ?.numbers) {
      row.check = `${compare(got, activ.numbers, tol).text} vs activ`;
    } else {
      kernelRef ??= kernelInput(task.n);
      const ref = reference(task.op, kernelRef, 10);
      if (ref) {
        const c = compare(got, ref, tol);
        row.check = `${c.text} vs ref`;
        if (t.isActiv && c.ok) activ.numbers = got;
      } else if (t.isActiv) {
        // gelu needs erf, which JS lacks: activ's gelu is only cross-checked by the tfjs row.
        row.check = 'no reference (JS has no erf): see the tfjs row';
        activ.numbers = got;
      } else row.check = 'unchecked (no activ output, no reference)';
    }
    log(`  ${res.best.toFixed(4)} s, ${row.check}`);
  }
  if (activ) for (const row of rows) if (row.task === task.name) row.activWall = activ.wall;
}

const t0 = performance.now();
for (const task of tasks) {
  if (task.kind === 'cli') await runCliTask(task);
  else if (task.kind === 'startup') await runStartupTask(task);
  else await runKernelTask(task);
}
if (npySelected) rows.push(...(await runNpyBench({ dataDir: DATA_DIR, bin: BIN, runs: RUNS, timeoutS: TIMEOUT, quick: opt.quick, root: ROOT, log })));
inputs.clear();
refs.clear();

// --- the report --------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const command =
  process.env.npm_lifecycle_event === 'bench'
    ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`
    : `node test/bench/run.mjs${argv.length ? ` ${argv.join(' ')}` : ''}`;
const cpus = os.cpus();
const tfjsVersion = peerVersion('@tensorflow/tfjs-core');
const polarsVersion = peerVersion('nodejs-polars');
const duckdbVersion = peerVersion('@duckdb/node-api');
const tools = [
  versionOf('gawk'),
  versionOf('mawk', ['-W', 'version']),
  versionOf('mlr', ['--version']),
  versionOf('jq', ['--version']),
  polarsVersion && `nodejs-polars ${polarsVersion}`,
  duckdbVersion && `@duckdb/node-api ${duckdbVersion}`,
  tfjsVersion && `tfjs-core/tfjs-backend-cpu ${tfjsVersion}`,
  hasCommand('hyperfine') && versionOf('hyperfine'),
]
  .filter(Boolean)
  .map((v) => v.replace(/,.*$/, ''));
const dataLines = Object.values(data).map(
  (d) => `${d.file} ${(d.bytes / 1e6).toFixed(1)} MB (${d.format}, ${d.rows.toLocaleString('en')} x ${d.cols})`,
);
const gitRev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();

const report = [
  `## activ benchmark`,
  '',
  `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
  `- machine: ${os.availableParallelism?.() ?? cpus.length} cores (nproc), ${cpus[0]?.model?.trim() ?? 'unknown cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
  `- node ${process.version}; activ: ${path.relative(ROOT, BIN)} at ${gitRev || 'unknown commit'}${dirty ? ' (with uncommitted changes in src/ or bin/)' : ''}`,
  `- command: \`${command}\` (best of ${RUNS} wall-clock runs per tool; ${((performance.now() - t0) / 1000).toFixed(0)} s in all)`,
  `- tools: ${tools.join('; ')}`,
  `- data: ${dataLines.join('; ') || 'none'}; kernels: ${fmtCount(KERNEL_N)} doubles in [-10, 10)`,
  '',
  markdownTable(rows, { memory: hasGnuTime }),
  '',
  'ratio = tool time / activ time in the same task (above 1: activ is faster). MB/s = input bytes / wall time (kernels: 8 bytes per value).',
  'Peak MB = largest resident set (GNU time %M, MiB). check = every output read back as numbers and compared value by value: activ with the',
  "harness's own double-precision reference, peers with activ (with the reference where activ did not run); tolerance 1e-12 relative (tfjs: 1e-6).",
  '',
  ...[...notes].filter(Boolean).map((n) => `- ${n}`),
  '',
].join('\n');

process.stdout.write(report);
const tableFile = path.join(DATA_DIR, 'last-table.md');
fs.writeFileSync(tableFile, report);
log(`\nwritten to ${path.relative(ROOT, tableFile)}`);

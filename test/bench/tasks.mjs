/**
 * What is measured: each task is one job on one data set, done by activ and by the tools a user
 * would reach for instead, so every ratio in the table compares like with like.
 */
import path from 'node:path';
import { jsonTasks } from './json-tasks.mjs';
import { INSTALL_PEERS } from './setup.mjs';

/**
 * awk prints a computed field with CONVFMT (OFMT for print of a number). "%.17g" is the fair
 * equivalent of shortest round-trip output: every double reads back exactly, at the cost of some
 * longer strings (0.1 prints as 0.10000000000000001).
 */
const AWK_FLAGS = ['-F,', '-v', 'OFS=,', '-v', 'OFMT=%.17g', '-v', 'CONVFMT=%.17g'];
const AWK = {
  sigmoid: 'NR==1{print;next}{for(i=1;i<=NF;i++)$i=1/(1+exp(-$i));print}',
  softmax:
    'NR==1{print;next}{m=$1+0;for(i=2;i<=NF;i++)if($i+0>m)m=$i+0;s=0;' +
    'for(i=1;i<=NF;i++){e[i]=exp($i-m);s+=e[i]}for(i=1;i<=NF;i++)$i=e[i]/s;print}',
  // Down columns in two passes over the file (it is named twice): the first keeps each column's
  // running max and its sum of exp(x - max), rescaled when the max moves (one pass instead of
  // separate max and sum passes, as a careful awk user would write it); the second prints.
  softmax0:
    'FNR==1{if(NR!=FNR)print;next}' +
    'NR==FNR{for(i=1;i<=NF;i++){x=$i+0;if(!(i in m)){m[i]=x;s[i]=1}' +
    'else if(x>m[i]){s[i]=s[i]*exp(m[i]-x)+1;m[i]=x}else s[i]+=exp(x-m[i])}next}' +
    '{for(i=1;i<=NF;i++)$i=exp($i-m[i])/s[i];print}',
};

const MLR = {
  sigmoid: 'for (k,v in $*) { $[k] = 1/(1+exp(-v)) }',
  softmax:
    'var m = -1e308; for (k,v in $*) { if (v > m) { m = v } } ' +
    'var s = 0; for (k,v in $*) { s += exp(v - m) } ' +
    'for (k,v in $*) { $[k] = exp(v - m) / s }',
};

const JQ = {
  sigmoid: 'map(1/(1+(-.|exp)))',
  softmax: 'max as $m | map(. - $m | exp) | add as $s | map(. / $s)',
};

const INSTALL = 'apt-get install gawk mawk miller jq';

export const NOTES = {
  gawk: 'gawk/mawk print with OFMT=CONVFMT="%.17g": exact (reads back to the same double) but not shortest, the nearest awk gets to String(x).',
  mawk: 'gawk/mawk print with OFMT=CONVFMT="%.17g": exact (reads back to the same double) but not shortest, the nearest awk gets to String(x).',
  mlr: "Miller (Go) prints floats in shortest fixed notation (no exponent: tiny values get long), and runs reader, mapper and writer on separate goroutines, so it uses more than one core.",
  jq: 'jq 1.6 prints numbers with "%.17g" (exact, not shortest).',
  'node csv-parse': 'node csv-parse: test/bench/peers/node-csv.mjs, csv-parse -> map -> csv-stringify with String(x).',
  'node JSON': 'node JSON: test/bench/peers/node-json.mjs, JSON.parse -> map -> JSON.stringify (NDJSON: one line at a time through readline).',
  tfjs: 'tfjs: @tensorflow/tfjs-core + tfjs-backend-cpu, float32 throughout (tfjs has no float64), checked to 1e-6; the float64 -> float32 conversion of the input is not timed.',
  'tfjs gelu': 'tfjs has no gelu op: it is composed as 0.5·x·(1 + erf(x/√2)) (Keras\'s exact gelu), and tfjs\'s erf is a float32 polynomial approximation.',
  polars:
    'Polars: test/bench/peers/polars.mjs, nodejs-polars readCSV -> 1/(1+exp(-x)) (softmax: exp(x - maxHorizontal) / sumHorizontal) on every column -> writeCSV; multi-threaded, libm exp.',
  duckdb:
    'DuckDB: test/bench/peers/duckdb.mjs, @duckdb/node-api COPY (SELECT 1/(1+exp(-c)) ... FROM read_csv(FILE)) TO stdout (softmax: greatest() then exp / sum); multi-threaded, libm exp.',
  'activ kernel': 'activ kernels: dist/index.js, lookup(name).bind({}).map(src, dst, 0, n) on a Float64Array (softmax: vector() per row of 10 into a reused buffer); best of 5 after a warm-up, one fresh process per kernel and tool.',
  'start-up': 'start-up: median of 30 runs (hyperfine -N when installed, with 3 warm-ups).',
  wide: 'wide file: mawk is left out, its field assignment is quadratic in the number of fields (114 s for the --quick 19 MB file, gawk 0.8 s).',
  big: 'big: the 10x file, for the memory targets: one run each, output not checked.',
};

/**
 * The task list, given the data sets on disk (data[key] = { path, bytes, rows, cols }) and the
 * options. A tool entry names the program it needs so a missing one becomes a table row saying
 * how to install it, not a crash.
 */
export function buildTasks({ data, bin, kernelN, big }) {
  // bin: activ's CLI script (run.mjs's --bin can point at another build to compare).
  const node = process.execPath;
  const peerDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'peers');
  const activ = (...args) => ({ tool: 'activ', cmd: node, args: [bin, ...args], isActiv: true, usesBin: true });
  const awk = (prog, op, file, twice = false) => ({
    tool: prog,
    needs: prog,
    install: INSTALL,
    cmd: prog,
    args: [...AWK_FLAGS, AWK[op], file, ...(twice ? [file] : [])],
  });
  const mlr = (op, file) => ({ tool: 'mlr', needs: 'mlr', install: INSTALL, cmd: 'mlr', args: ['--icsv', '--ocsv', 'put', MLR[op], file] });
  const nodeCsv = (op, file) => ({ tool: 'node csv-parse', cmd: node, args: [path.join(peerDir, 'node-csv.mjs'), op, file] });
  const nodeJson = (op, fmt, file) => ({ tool: 'node JSON', cmd: node, args: [path.join(peerDir, 'node-json.mjs'), op, fmt, file] });
  // Polars and DuckDB: npm packages in test/bench's own node_modules (setup.mjs installs them).
  const polars = (op, file) => ({ tool: 'polars', needsPeer: 'nodejs-polars', install: INSTALL_PEERS, cmd: node, args: [path.join(peerDir, 'polars.mjs'), op, file] });
  const duckdb = (op, file) => ({ tool: 'duckdb', needsPeer: '@duckdb/node-api', install: INSTALL_PEERS, cmd: node, args: [path.join(peerDir, 'duckdb.mjs'), op, file] });
  const natives = (op, file) => [polars(op, file), duckdb(op, file)];
  const jq = (prog, file) => ({ tool: 'jq', needs: 'jq', install: INSTALL, cmd: 'jq', args: ['-c', prog, file] });

  const tasks = [];
  const cli = (name, key, op, tools, extra = {}) => tasks.push({ kind: 'cli', name, data: key, op, tools, ...extra });

  const main = data.main?.path;
  cli('csv sigmoid', 'main', 'sigmoid', [
    activ('sigmoid', main),
    ...natives('sigmoid', main),
    awk('gawk', 'sigmoid', main),
    awk('mawk', 'sigmoid', main),
    mlr('sigmoid', main),
    nodeCsv('sigmoid', main),
  ]);
  cli('csv softmax rows', 'main', 'softmax', [
    activ('softmax', main),
    ...natives('softmax', main),
    awk('gawk', 'softmax', main),
    awk('mawk', 'softmax', main),
    mlr('softmax', main),
    nodeCsv('softmax', main),
  ]);
  cli('csv softmax axis 0', 'main', 'softmax0', [
    activ('softmax', '--axis', '0', main),
    awk('gawk', 'softmax0', main, true),
    awk('mawk', 'softmax0', main, true),
  ]);

  const wide = data.wide?.path;
  // No mawk here: assigning fields is quadratic in the number of fields for mawk 1.3.4 (114 s
  // for the --quick wide file's 19 MB, against gawk's 0.8 s), so it would only time a mawk flaw.
  cli('wide sigmoid', 'wide', 'sigmoid', [
    activ('sigmoid', wide),
    ...natives('sigmoid', wide),
    awk('gawk', 'sigmoid', wide),
    mlr('sigmoid', wide),
    nodeCsv('sigmoid', wide),
  ], { note: 'wide' });
  cli('wide softmax rows', 'wide', 'softmax', [
    activ('softmax', wide),
    ...natives('softmax', wide),
    awk('gawk', 'softmax', wide),
    nodeCsv('softmax', wide),
  ]);

  const json = data.json?.path;
  cli('json sigmoid', 'json', 'sigmoid', [activ('sigmoid', json), jq(`map(${JQ.sigmoid})`, json), nodeJson('sigmoid', 'json', json)]);
  cli('json softmax rows', 'json', 'softmax', [activ('softmax', json), jq(`map(${JQ.softmax})`, json), nodeJson('softmax', 'json', json)]);

  const nd = data.ndjson?.path;
  cli('ndjson sigmoid', 'ndjson', 'sigmoid', [activ('sigmoid', nd), jq(JQ.sigmoid, nd), nodeJson('sigmoid', 'ndjson', nd)]);
  cli('ndjson softmax rows', 'ndjson', 'softmax', [activ('softmax', nd), jq(JQ.softmax, nd), nodeJson('softmax', 'ndjson', nd)]);

  tasks.push(...jsonTasks({ data, big, activ, jq, nodeJson, JQ })); // the JSON lane's rows (issue 10)

  if (big) {
    const b = data.big?.path;
    const once = { runs: 1, check: false, note: 'big' };
    cli('big csv sigmoid', 'big', 'sigmoid', [activ('sigmoid', b), awk('gawk', 'sigmoid', b)], once);
    cli('big csv softmax rows', 'big', 'softmax', [activ('softmax', b)], once);
    cli('big csv softmax axis 0', 'big', 'softmax0', [activ('softmax', '--axis', '0', b)], once);
  }

  // Start-up of every command form (issue 11), each against bare Node in the same task.
  const small = path.join(path.dirname(peerDir), 'small.csv'); // a header and two rows
  const startups = [
    ['sigmoid 0', activ('sigmoid', '0'), [0.5]],
    ['relu --alpha 0.1 -- -1 2', activ('relu', '--alpha', '0.1', '--', '-1', '2'), [-0.1, 2]],
    ['relu 3-line csv', activ('relu', small), [1, 0, 0, 4]],
  ];
  for (const [form, tool, expect] of startups) {
    tasks.push({
      kind: 'startup',
      name: `start-up ${form}`,
      tools: [
        { ...tool, expect },
        { tool: 'node -e 0', cmd: node, args: ['-e', '0'] },
      ],
    });
  }

  for (const k of ['sigmoid', 'tanh', 'gelu', 'softmax']) {
    tasks.push({
      kind: 'kernel',
      name: `kernel ${k === 'softmax' ? 'softmax rows' : k}`,
      op: k,
      n: kernelN,
      tools: ['activ', 'tfjs'].map((tool) => ({
        tool,
        isActiv: tool === 'activ',
        ...(tool === 'tfjs' ? { needsPeer: '@tensorflow/tfjs-core', install: INSTALL_PEERS } : {}),
        cmd: node,
        args: [path.join(peerDir, 'kernel.mjs'), tool, k, String(kernelN)],
      })),
    });
  }
  return tasks;
}

/** The data sets a task list touches, so --only generates nothing it does not run. */
export function dataKeysOf(tasks) {
  return [...new Set(tasks.filter((t) => t.data).map((t) => t.data))];
}

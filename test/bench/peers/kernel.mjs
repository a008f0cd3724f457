/**
 * One kernel, one tool, in a fresh process: V8's type feedback from one kernel must not slow or
 * speed up the next, so the parent starts this once per (tool, kernel).
 *
 *   node kernel.mjs activ|tfjs sigmoid|tanh|gelu|softmax N OUT.f64
 *
 * Times the computation only, best of 5 after one warm-up, on the same N doubles in [-10, 10)
 * (softmax: rows of 10). Writes the last result as float64 to OUT for the parent's check and
 * prints one JSON line: {"ok":true,"best":seconds,"note":...} or {"ok":false,"reason":...}.
 */
import fs from 'node:fs';
import { kernelInput } from '../data.mjs';

const [tool, name, nArg, outFile] = process.argv.slice(2);
const n = Number(nArg);
const REPS = 5;
const ROW = 10;

function report(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/** Returns { run: () => Float64Array|Float32Array, note }; run computes the whole array once. */
async function setupActiv(src) {
  let lib;
  try {
    lib = await import(new URL('../../../dist/index.js', import.meta.url));
  } catch (e) {
    throw new Error(`dist/index.js does not load (npm run build): ${e.message.split('\n')[0]}`);
  }
  if (typeof lib.lookup !== 'function') throw new Error('dist/index.js exports no lookup() yet (npm run build)');
  const kernel = lib.lookup(name).bind({});
  const dst = new Float64Array(n);
  if (name === 'softmax') {
    if (kernel.kind !== 'axiswise') throw new Error('softmax is not an axiswise kernel');
    // The kernel's own vector method over each row, into a reused buffer: the kernel alone,
    // without applyKernel's allocation of the output.
    return {
      run() {
        for (let o = 0; o < n; o += ROW) kernel.vector(src, o, 1, dst, o, 1, ROW);
        return dst;
      },
      note: 'float64; vector() per row of 10',
    };
  }
  if (kernel.kind !== 'elementwise') throw new Error(`${name} is not an elementwise kernel`);
  return {
    run() {
      kernel.map(src, dst, 0, n);
      return dst;
    },
    note: 'float64',
  };
}

async function setupTfjs(src) {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  // tfjs has no float64: the input is converted to float32 once, outside the timed part, which
  // favours tfjs slightly. The timed part is the op plus dataSync() (the values in JS hands).
  const f32 = Float32Array.from(src); // tfjs takes no Float64Array
  const x = name === 'softmax' ? tf.tensor2d(f32, [n / ROW, ROW]) : tf.tensor1d(f32);
  let op;
  let note = 'float32';
  if (name === 'sigmoid') op = () => tf.sigmoid(x);
  else if (name === 'tanh') op = () => tf.tanh(x);
  else if (name === 'softmax') op = () => tf.softmax(x);
  else if (name === 'gelu') {
    // tfjs-core has no gelu op: compose Keras's exact form 0.5 x (1 + erf(x / sqrt 2)).
    if (typeof tf.gelu === 'function') op = () => tf.gelu(x);
    else {
      op = () => tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
      note = 'float32; composed from erf (no tf.gelu)';
    }
  } else throw new Error(`unknown kernel ${name}`);
  return {
    run() {
      const y = op();
      const v = y.dataSync();
      y.dispose();
      return v;
    },
    note,
  };
}

try {
  const src = kernelInput(n);
  const k = tool === 'activ' ? await setupActiv(src) : await setupTfjs(src);
  let out = k.run(); // warm-up: compile, and for tfjs allocate its kernels
  let best = Infinity;
  for (let i = 0; i < REPS; i++) {
    const t0 = process.hrtime.bigint();
    out = k.run();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    if (t < best) best = t;
  }
  const f64 = out instanceof Float64Array ? out : Float64Array.from(out);
  fs.writeFileSync(outFile, new Uint8Array(f64.buffer, f64.byteOffset, f64.byteLength));
  report({ ok: true, best, note: k.note });
} catch (e) {
  report({ ok: false, reason: String(e && e.message ? e.message : e).split('\n')[0] });
}

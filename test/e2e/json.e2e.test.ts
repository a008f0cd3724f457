/**
 * JSON as people pipe it (#10): what jq prints (streams of pretty-printed documents) and the
 * exact text of the values the activation leaves alone, through the built command.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { activ, BIN, has, sh } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ACTIV = `'${process.execPath}' '${BIN}'`;

const TENSOR = [
  [1, 2, 3],
  [-1, 0.5, 0],
  [1e-3, 700, -700],
];

/** softmax of one row, as the in-memory kernel computes it (a one-row 2-D document). */
async function softmaxRows(rows: number[][]): Promise<number[][]> {
  const r = await activ(['softmax'], { stdin: JSON.stringify(rows) });
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as number[][];
}

describe.concurrent("jq's output", { timeout: 60_000 }, () => {
  test("jq '.[]' | activ softmax: each 1-D document is a row, as an NDJSON line is", async (ctx) => {
    if (!(await has('jq'))) {
      console.log("jq's output: skipped, jq is not installed (apt-get install jq)");
      ctx.skip();
    }
    const file = join(tmp, 'tensor.json');
    writeFileSync(file, JSON.stringify(TENSOR));
    const pretty = await sh(`jq '.[]' '${file}' | ${ACTIV} softmax`);
    expect(pretty.err).toBe('');
    expect(pretty.code).toBe(0);
    const rows = pretty.out.trimEnd().split('\n').map((l) => JSON.parse(l) as number[]);
    expect(rows).toEqual(await softmaxRows(TENSOR));
    // jq -c prints one document per line (NDJSON): the same bytes.
    const compact = await sh(`jq -c '.[]' '${file}' | ${ACTIV} softmax`);
    expect(compact.out).toBe(pretty.out);
    // The whole tensor, pretty-printed: one 2-D document.
    const whole = await sh(`jq '.' '${file}' | ${ACTIV} softmax`);
    expect(JSON.parse(whole.out)).toEqual(rows);
  });

  test("a lone 1-D document keeps Keras's refusal; element-wise activations take any", async (ctx) => {
    if (!(await has('jq'))) ctx.skip();
    const file = join(tmp, 'tensor1.json');
    writeFileSync(file, JSON.stringify(TENSOR));
    const lone = await sh(`jq '.[0]' '${file}' | ${ACTIV} softmax`);
    expect(lone.code).toBe(1);
    expect(lone.out).toBe('');
    expect(lone.err).toMatch(/^activ: softmax: Cannot apply softmax to a tensor that is 1D\b.*\n$/);
    const relu = await sh(`jq '.[]' '${file}' | ${ACTIV} relu`);
    expect(relu.out).toBe('[1,2,3]\n[0,0.5,0]\n[0.001,700,0]\n');
  });
});

describe.concurrent('untouched values keep their text', { timeout: 60_000 }, () => {
  test('the other keys of an object, and records, in JSON, NDJSON, CSV and TSV', async () => {
    const obj = await activ(['relu', '-c', 'x'], { stdin: '{"id":11111111112222222222,"x":[1,-2],"f":1.0,"e":1e2}\n' });
    expect(obj.out).toBe('{"id":11111111112222222222,"x":[1,0],"f":1.0,"e":1e2}\n');
    const recs = '[{"id":11111111112222222222,"x":-1,"f":1.0,"e":1e2},{"id":2,"x":3,"f":0.50,"e":-1E-2}]';
    expect((await activ(['relu', '-c', 'x'], { stdin: recs })).out).toBe('[{"id":11111111112222222222,"x":0,"f":1.0,"e":1e2},{"id":2,"x":3,"f":0.50,"e":-1E-2}]\n');
    expect((await activ(['relu', '-c', 'x', '--to', 'csv'], { stdin: recs })).out).toBe('id,x,f,e\n11111111112222222222,0,1.0,1e2\n2,3,0.50,-1E-2\n');
    const lines = '{"id":11111111112222222222,"x":-1,"f":1.0}\n{"id":2,"x":3,"f":1e2}\n';
    expect((await activ(['relu', '-c', 'x', '--to', 'tsv'], { stdin: lines })).out).toBe('id\tx\tf\n11111111112222222222\t0\t1.0\n2\t3\t1e2\n');
    expect((await activ(['relu', '-c', 'x'], { stdin: lines })).out).toBe('{"id":11111111112222222222,"x":0,"f":1.0}\n{"id":2,"x":3,"f":1e2}\n');
    // One object of plain values is one record, for a table too.
    expect((await activ(['relu', '-c', 'x', '--to', 'csv'], { stdin: '{"id":11111111112222222222,"x":-2}' })).out).toBe('id,x\n11111111112222222222,0\n');
  });

  test('CSV cells that are JSON numbers stay numbers in NDJSON and JSON; others are strings', async () => {
    const csv = 'id,x,tag\n101,-1,007\n11111111112222222222,2,1e2\n';
    expect((await activ(['relu', '-c', 'x', '--to', 'ndjson'], { stdin: csv })).out).toBe('{"id":101,"x":0,"tag":"007"}\n{"id":11111111112222222222,"x":2,"tag":1e2}\n');
    expect((await activ(['relu', '-c', 'x', '--to', 'json'], { stdin: csv })).out).toBe('[{"id":101,"x":0,"tag":"007"},{"id":11111111112222222222,"x":2,"tag":1e2}]\n');
  });
});

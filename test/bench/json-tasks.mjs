/**
 * The JSON lane's rows (issue 10): the 500,000 x 8 doubles of the CSV benchmark as one JSON
 * tensor (77 MB) and as NDJSON (78 MB), against jq and plain Node; softmax down axis 0; and, with
 * --big, the same tensor 5x (388 MB) and about 1 GB, for memory at size. Registered by one line
 * in data.mjs (the data sets) and one in tasks.mjs (the tasks).
 */

export function jsonDataPlan(quick) {
  const k = quick ? 10 : 1;
  return {
    tensor8: { file: 'tensor8.json', format: 'json', rows: 500_000 / k, cols: 8, seed: 1 },
    rows8: { file: 'rows8.ndjson', format: 'ndjson', rows: 500_000 / k, cols: 8, seed: 1 },
    tensor8x5: { file: 'tensor8x5.json', format: 'json', rows: 2_500_000 / k, cols: 8, seed: 5 },
    tensor8g: { file: 'tensor8g.json', format: 'json', rows: 6_500_000 / k, cols: 8, seed: 6 },
  };
}

/** tools: the constructors buildTasks has (activ, jq, nodeJson) and jq's programs. */
export function jsonTasks({ data, big, activ, jq, nodeJson, JQ }) {
  const cli = (name, key, op, tools, extra = {}) => ({ kind: 'cli', name, data: key, op, tools, ...extra });
  const t = data.tensor8?.path;
  const nd = data.rows8?.path;
  const tasks = [
    cli('json lane tensor sigmoid', 'tensor8', 'sigmoid', [activ('sigmoid', t), jq(`map(${JQ.sigmoid})`, t), nodeJson('sigmoid', 'json', t)]),
    cli('json lane tensor softmax rows', 'tensor8', 'softmax', [activ('softmax', t), jq(`map(${JQ.softmax})`, t), nodeJson('softmax', 'json', t)]),
    cli('json lane tensor softmax axis 0', 'tensor8', 'softmax0', [activ('softmax', '--axis', '0', t)]),
    cli('json lane ndjson sigmoid', 'rows8', 'sigmoid', [activ('sigmoid', nd), jq(JQ.sigmoid, nd), nodeJson('sigmoid', 'ndjson', nd)]),
    cli('json lane ndjson softmax rows', 'rows8', 'softmax', [activ('softmax', nd), jq(JQ.softmax, nd), nodeJson('softmax', 'ndjson', nd)]),
  ];
  if (big) {
    const once = { runs: 1, check: false, note: 'big' };
    tasks.push(cli('json lane 388 MB tensor sigmoid', 'tensor8x5', 'sigmoid', [activ('sigmoid', data.tensor8x5?.path)], once));
    tasks.push(cli('json lane 1 GB tensor sigmoid', 'tensor8g', 'sigmoid', [activ('sigmoid', data.tensor8g?.path)], once));
  }
  return tasks;
}

/**
 * Peer: DuckDB (@duckdb/node-api, C++, multi-threaded), as a data person writes it: one
 * COPY (SELECT ... FROM read_csv(FILE)) TO stdout, the header passing through as column names.
 * Installed in test/bench's own node_modules (npm ci --prefix test/bench).
 *
 *   node duckdb.mjs sigmoid|softmax FILE > OUT
 */
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, file] = process.argv.slice(2);

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
// The 1000-column file's row sum is a 1000-deep expression, past DuckDB's default limit.
await con.run('SET max_expression_depth TO 100000');
const lit = (s) => `'${s.replace(/'/g, "''")}'`;
const id = (s) => `"${s.replace(/"/g, '""')}"`;
const src = `read_csv(${lit(file)}, header = true, all_varchar = false)`;
const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjects().map((r) => String(r.column_name));

let select;
if (mode === 'sigmoid') {
  select = `SELECT ${cols.map((c) => `1/(1+exp(-${id(c)})) AS ${id(c)}`).join(', ')} FROM ${src}`;
} else if (mode === 'softmax') {
  // along each row: exp(x - max) / sum(exp(x - max))
  const e = cols.map((_, i) => `e${i}`);
  select =
    `WITH m AS (SELECT *, greatest(${cols.map(id).join(', ')}) AS __m FROM ${src}), ` +
    `x AS (SELECT ${cols.map((c, i) => `exp(${id(c)} - __m) AS ${e[i]}`).join(', ')} FROM m), ` +
    // the row sum once per row (written into every output column, it was summed 1000 times per row)
    `y AS (SELECT *, ${e.join(' + ')} AS __s FROM x) ` +
    `SELECT ${cols.map((c, i) => `${e[i]} / __s AS ${id(c)}`).join(', ')} FROM y`;
} else {
  throw new Error(`duckdb peer: unknown mode ${mode}`);
}
await con.run(`COPY (${select}) TO '/dev/stdout' (FORMAT csv, HEADER true)`);

/**
 * Peer: Polars (nodejs-polars, Rust, multi-threaded), as a data person writes it: readCSV ->
 * an expression over every column -> writeCSV to stdout. The header row passes through as the
 * frame's column names. Installed in test/bench's own node_modules (npm ci --prefix test/bench).
 *
 *   node polars.mjs sigmoid|softmax FILE > OUT
 */
import pl from 'nodejs-polars';

const [mode, file] = process.argv.slice(2);

const df = pl.readCSV(file, { hasHeader: true });
const names = df.columns;
let out;
if (mode === 'sigmoid') {
  // 1 / (1 + exp(-x)) on every column
  // one expression over all columns (1000 separate ones are 10x slower on the wide file)
  out = df.select(pl.lit(1).div(pl.all().mul(-1).exp().add(1)).keepName());
} else if (mode === 'softmax') {
  // along each row: exp(x - max) / sum(exp(x - max))
  const e = df.select(pl.all().sub(pl.maxHorizontal(pl.all())).exp().keepName());
  out = e.select(pl.all().div(pl.sumHorizontal(pl.all())).keepName());
} else {
  throw new Error(`polars peer: unknown mode ${mode}`);
}
out.writeCSV('/dev/stdout');

/**
 * The Markdown table. One row per (task, tool); the ratio is the peer's time over activ's in the
 * same task, so above 1 means activ is faster, and a row that could not run says why instead of
 * holding numbers.
 */

const fmtS = (s) => (s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s >= 0.1 ? s.toFixed(3) : s.toFixed(4));
const fmtRate = (r) => (r >= 100 ? r.toFixed(0) : r.toFixed(1));

/** rows: { task, tool, wall?, bytes?, peakKB?, activWall?, check?, reason? } */
export function markdownTable(rows, { memory }) {
  const head = ['task', 'tool', 'wall s', 'MB/s', ...(memory ? ['peak MB'] : []), 'ratio', 'check'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i < 2 || i === head.length - 1 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) {
    let cells;
    if (r.reason) {
      cells = [r.task, r.tool, '—', '—', ...(memory ? ['—'] : []), '—', `not available: ${r.reason}`];
    } else {
      const rate = r.bytes ? fmtRate(r.bytes / 1e6 / r.wall) : '—';
      const peak = r.peakKB != null ? (r.peakKB / 1024).toFixed(0) : '—';
      const ratio = r.isActiv ? (r.activWall != null ? '1' : '—') : r.activWall != null ? `${(r.wall / r.activWall).toFixed(2)}` : '—';
      cells = [r.task, r.tool, fmtS(r.wall), rate, ...(memory ? [peak] : []), ratio, r.check ?? '—'];
    }
    lines.push(`| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}

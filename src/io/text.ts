/**
 * Text: numbers separated by spaces or tabs, one row per line; output separated by one space.
 * An empty (or all-blank) line is a row with no cells and is written back as an empty line.
 */
import { formatNumberAs } from '../numbers/dtype.js';
import { cellText, DROP, NULL, type OutCell, type Row, type TableWriter, type TextSink, type WriteOptions } from './table.js';
import { decodeUtf8, lines } from './lines.js';
import type { Input } from './input.js';

const SPACE = /[ \t]+/;

export function splitText(text: string): string[] {
  const t = text.replace(/^[ \t]+|[ \t]+$/g, '');
  return t === '' ? [] : t.split(SPACE);
}

/** Rows of text; `base` lines came before this input's first byte (a byte lane took them). */
export async function* readText(input: Input, base = 0): AsyncIterable<Row[]> {
  for await (const batch of lines(decodeUtf8(input.chunks()))) {
    yield batch.map((l) => ({ line: base + l.line, cells: splitText(l.text), eol: l.eol }));
  }
}

export class TextWriter implements TableWriter {
  private eol = '\n';
  constructor(
    private readonly sink: TextSink,
    private readonly opt: WriteOptions,
  ) {}

  /** A header (detected or --header) is written back as a line of its cells. */
  begin(header: Row | undefined, cells: OutCell[] | undefined): void {
    if (header && cells) this.row(header, cells);
  }

  row(row: Row, cells: OutCell[]): void {
    if (row.eol) this.eol = row.eol;
    const out: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (typeof c === 'number') out.push(formatNumberAs(c, this.opt));
      else if (c.tag === DROP) continue;
      else if (c.tag === NULL) out.push('null');
      else out.push(cellText(row, i));
    }
    this.sink.write(out.join(' ') + this.eol);
  }

  end(): void {}
}

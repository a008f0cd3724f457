/**
 * Wrapping help text at the terminal's width: a line too long breaks at spaces, and its
 * continuation lines start under the description column (the first run of two or more spaces
 * after the indent), or under the indent when the line has no such column.
 */

/** The width help is wrapped at: the terminal's, or 80 when not a terminal (a pipe, a file). */
export function helpWidth(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY && stream.columns && stream.columns >= 40 ? stream.columns : 80;
}

export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const indent = line.length - line.trimStart().length;
  const column = /\S {2,}(?=\S)/.exec(line.slice(indent));
  let hang = column ? indent + column.index + column[0].length : indent;
  if (width - hang < 20) hang = indent + 4;
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (rest.length > width) {
    const from = first ? indent + 1 : hang + 1;
    const cut = rest.lastIndexOf(' ', width);
    if (cut < from) break; // one word longer than the line: leave it whole
    out.push(rest.slice(0, cut).trimEnd());
    rest = ' '.repeat(hang) + rest.slice(cut + 1).trimStart();
    first = false;
  }
  out.push(rest);
  return out.join('\n');
}

/**
 * An input that is also standard output (`activ relu f.csv >> f.csv`, `activ relu < f.csv 1<>f.csv`).
 * The lanes write a large file's first rows before they have read its last, so activ would read
 * its own output back (or write over rows not yet read), as `cat f >> f` would; GNU cat refuses
 * ("input file is output file"), and so does activ. An empty input (`activ relu f.csv > f.csv`:
 * the shell truncated it first) is no danger and passes, as with cat.
 */
import { fstatSync, statSync, type Stats } from 'node:fs';

/** Standard output's file status when it is a regular file, else undefined. */
export function stdoutFile(fd = 1): Stats | undefined {
  try {
    const st = fstatSync(fd);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `st` is the regular file `out`, with bytes to read. */
export function sameNonEmptyFile(st: Stats, out: Stats | undefined): boolean {
  return out !== undefined && st.isFile() && st.size > 0 && st.dev === out.dev && st.ino === out.ino;
}

/** The first operand (a path, or '-' for standard input) that is standard output's own file. */
export function inputThatIsStdout(operands: readonly string[]): string | undefined {
  const out = stdoutFile();
  if (!out) return undefined;
  return operands.find((a) => {
    try {
      return sameNonEmptyFile(a === '-' ? fstatSync(0) : statSync(a), out);
    } catch {
      return false; // the reader says why it cannot be read
    }
  });
}

import { describe, expect, test } from 'vitest';
import type { Row } from '../../src/io/table.js';
import { readCsv, readCsvPlain } from '../../src/io/csv.js';
import type { Input } from '../../src/io/streams.js';

/** An input that yields `text` as bytes in pieces of `step`, as a file or pipe would. */
function input(text: string | Buffer, step: number): Input {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return {
    path: 't.csv',
    display: 't.csv',
    ext: 'csv',
    rereadable: true,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += step) yield bytes.subarray(i, i + step);
    },
  };
}

async function rows(reader: typeof readCsv, text: string | Buffer, step: number, delimiter = ','): Promise<Row[]> {
  const out: Row[] = [];
  for await (const batch of reader(input(text, step), delimiter)) out.push(...batch);
  return out;
}

const CASES: [string, string | Buffer][] = [
  ['plain LF', 'a,b\n1,2\n3,4\n'],
  ['CRLF, last line without an ending', 'a,b\r\n1,2\r\n3,4'],
  ['a last line ending in a lone CR', 'a,b\n1,2\r'],
  ['a CR inside a cell', 'a,b\n1\r2,3\n'],
  ['BOM', '\ufeffa,b\n1,2\n'],
  ['empty lines and cells', 'a,b\n\n1,\n,\n\n'],
  ['UTF-8 text cells', 'nom,x\nélan,1\n日本,2\n'],
  ['a quote on a later line', 'a,b\n1,2\n3,"x,y"\n5,6\n'],
  ['a quoted field across lines', 'a,b\n1,"two\nlines"\n3,4\n'],
  ['only a header', 'a,b'],
  ['nothing', ''],
];

describe('readCsvPlain reads what csv-parse reads', () => {
  test.each(CASES)('%s', async (_, text) => {
    for (const step of [1, 3, 7, 1 << 16]) {
      expect(await rows(readCsvPlain, text, step), `step ${step}`).toEqual(await rows(readCsv, text, step));
    }
  });

  test('tab delimiter', async () => {
    const text = 'a\tb\n1\t2\r\n3\t"4"\n';
    expect(await rows(readCsvPlain, text, 5, '\t')).toEqual(await rows(readCsv, text, 5, '\t'));
  });

  test('a quote far into a large input: line numbers go on', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},${-i}`);
    lines.push('"q",1', '7,8');
    const text = lines.join('\n') + '\n';
    const plain = await rows(readCsvPlain, text, 4096);
    expect(plain).toEqual(await rows(readCsv, text, 4096));
    expect(plain[plain.length - 1].line).toBe(5003);
  });
});

describe('readCsvPlain stopped early', () => {
  // the byte lane reads a file's head through this reader, then closes it: its chunks (and so the
  // file's descriptor) must close too (one descriptor leaked per input file, EMFILE with many)
  test.each([
    ['plain lines', 'a,b\n1,2\n3,4\n'],
    ['a quote (csv-parse reads on)', 'a,b\n"1",2\n3,4\n'],
  ])('%s: return() reaches the input chunks', async (_, text) => {
    let closed = false;
    const source: Input = {
      ...input(text, 4),
      async *chunks() {
        try {
          for (let i = 0; i < text.length; i += 4) yield Buffer.from(text.slice(i, i + 4));
        } finally {
          closed = true;
        }
      },
    };
    const it = readCsvPlain(source, ',')[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    await it.return?.();
    expect(closed).toBe(true);
  });
});

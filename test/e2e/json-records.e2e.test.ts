/**
 * A JSON file that is one array of records is read record by record (src/io/json-records.ts), and
 * so is such an array on stdin (copied to a file first): the same bytes, notes and exit code as
 * the whole-document path (ACTIV_LANE=general, which parses it whole), in memory that does not
 * grow with the input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, run } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-records-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ~3 MB: a label column, numbers of every shape, a nested value and a big integer passed through
const records = Array.from({ length: 40_000 }, (_, i) => `{"id":"r${i}","a":${(i % 1000) / 7 - 70},"b":${i % 3 === 0 ? '1.0' : -i},"n":11111111112222222222,"v":[${i % 5}]}`);
const FILE = join(tmp, 'records.json');
const TEXT = `[\n${records.join(',\n')}\n]\n`;
writeFileSync(FILE, TEXT);

describe.concurrent('a large array of records', { timeout: 120_000 }, () => {
  test.each([
    ['sigmoid', []],
    ['relu', ['-c', 'a', '--to', 'csv']],
    ['softmax', ['--axis', '0', '-c', 'a,b']], // down the columns: two passes over the file
  ])('%s %j: the same as the whole document', async (name, options) => {
    const streamed = await run(process.execPath, [BIN, name, ...options, FILE]);
    const piped = await run(process.execPath, [BIN, name, ...options], { stdin: TEXT });
    const whole = await run(process.execPath, [BIN, name, ...options], { stdin: TEXT, env: { ACTIV_LANE: 'general' } });
    expect(whole.code).toBe(0);
    expect(streamed.code).toBe(0);
    expect(piped.code).toBe(0);
    expect(streamed.bytes.equals(whole.bytes)).toBe(true);
    expect(piped.bytes.equals(whole.bytes)).toBe(true);
    expect(streamed.err).toBe(whole.err.replaceAll('<stdin>', FILE));
    expect(piped.err).toBe(whole.err);
    expect(streamed.out.length).toBeGreaterThan(500_000);
  });

  test('within a 16 MB heap, where the whole document runs out of memory', async () => {
    const heap = ['--max-old-space-size=16', BIN, 'sigmoid', '-c', 'a'];
    for (const r of [await run(process.execPath, [...heap, FILE]), await run(process.execPath, heap, { stdin: TEXT })]) {
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out.startsWith('[{"id":"r0","a":3.975449735908647e-31,"b":1.0,"n":11111111112222222222,')).toBe(true);
      expect(r.out.endsWith('"v":[4]}]\n')).toBe(true);
    }
    // the limit binds: parsed whole, the document runs out of heap
    const whole = await run(process.execPath, heap, { stdin: TEXT, env: { ACTIV_LANE: 'general' } });
    expect(whole.code).not.toBe(0);
  });

  test('on stdin, an array that is not all records part way is read whole, as before', async () => {
    const mixed = `[\n${records.slice(0, 30_000).join(',\n')},\n7\n]\n`; // over 1 MiB: copied to a file, then read whole
    const piped = await run(process.execPath, [BIN, 'sigmoid', '-c', 'a'], { stdin: mixed });
    const whole = await run(process.execPath, [BIN, 'sigmoid', '-c', 'a'], { stdin: mixed, env: { ACTIV_LANE: 'general' } });
    expect(piped.code).toBe(1);
    expect(piped.err).toBe(whole.err);
    expect(piped.err).toMatch(/^activ: <stdin>/);
  });

  test.each([
    ['overwritten in place', `sed -i 's/"a":0,/"a":9,/' "$ACTIV_FILE"`],
    // same size, inode and modification time, same shape: only the checksum of the passes sees it
    ['changed with its time restored', `python3 -c "
import os,sys
p=sys.argv[1]; st=os.stat(p); b=bytearray(open(p,'rb').read()); i=b.index(bytes([97,34,58,45]))+4; b[i]=ord('9') if b[i]!=ord('9') else ord('8')
f=open(p,'r+b'); f.write(b); f.close(); os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))" "$ACTIV_FILE"`],
  ])('changed between the shape check and the read (%s): one line, exit 1', async (_, change) => {
    const path = join(tmp, `changing-${_.replaceAll(' ', '-')}.json`);
    writeFileSync(path, `[\n${records.slice(0, 5_000).join(',\n')}\n]\n`);
    const r = await run('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" sigmoid -c a "${path}"`], {
      env: { ACTIV_TEST_PASS_HOOK: `if [ "$ACTIV_PASS" = 2 ]; then ${change}; fi` },
    });
    expect(r.err).toBe(`activ: ${path}: the file changed while activ was reading it (between two passes over it); try again once it is complete\n`);
    expect(r.code).toBe(1);
  });

  test('a small records array on stdin stays in memory, and so does a large one without a TMPDIR to copy it to', async () => {
    const small = `[${records.slice(0, 100).join(',')}]`;
    const r = await run(process.execPath, [BIN, 'sigmoid', '-c', 'a'], { stdin: small, env: { TMPDIR: '/nonexistent-activ-tmp' } });
    const whole = await run(process.execPath, [BIN, 'sigmoid', '-c', 'a'], { stdin: small, env: { ACTIV_LANE: 'general' } });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.bytes.equals(whole.bytes)).toBe(true);
    // a large one that cannot have its temporary file is read whole, as before (the same bytes)
    const big = await run(process.execPath, [BIN, 'sigmoid', '-c', 'a'], { stdin: TEXT, env: { TMPDIR: '/nonexistent-activ-tmp' } });
    const bigWhole = await run(process.execPath, [BIN, 'sigmoid', '-c', 'a'], { stdin: TEXT, env: { ACTIV_LANE: 'general' } });
    expect(big.err).toBe('');
    expect(big.code).toBe(0);
    expect(big.bytes.equals(bigWhole.bytes)).toBe(true);
  });

  test('a bad value part way: the record named, exit 1', async () => {
    const lateBad = join(tmp, 'late.json');
    writeFileSync(lateBad, `[\n${records.slice(0, 30_000).join(',\n')},\n{"id":"x","a":"oops","b":1,"n":1,"v":[0]}\n]\n`);
    const r = await run(process.execPath, [BIN, 'sigmoid', '-c', 'a', lateBad]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`activ: ${lateBad}: record 30001, 'a': not a number: 'oops'\n`);
  });
});

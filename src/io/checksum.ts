/**
 * A fast 64-bit checksum of a byte stream, the same whatever the chunking: two 32-bit
 * multiply-xor lanes over little-endian 32-bit words (aligned words read through a Uint32Array),
 * the 0-3 bytes left over a chunk carried into the next. Not cryptographic: it tells whether two
 * passes over a file read the same bytes.
 */
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class Checksum {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;
  private pending = 0; // bytes of a partial word, little-endian
  private npending = 0;
  bytes = 0;

  private word(w: number): void {
    this.a = Math.imul(this.a ^ w, 0x01000193);
    this.b = Math.imul((this.b ^ w) + 0x7f4a7c15, 0x5bd1e995);
    this.b ^= this.b >>> 15;
  }

  private byte(x: number): void {
    this.pending |= x << (8 * this.npending);
    if (++this.npending === 4) {
      this.word(this.pending | 0);
      this.pending = 0;
      this.npending = 0;
    }
  }

  update(buf: Uint8Array, start = 0, end = buf.length): void {
    this.bytes += end - start;
    let p = start;
    // bytes until the next word both completes the pending word and sits on an aligned address
    while (p < end && (this.npending !== 0 || (buf.byteOffset + p) % 4 !== 0)) this.byte(buf[p++]);
    const words = LITTLE ? (end - p) >> 2 : 0;
    if (words > 0) {
      const w = new Uint32Array(buf.buffer, buf.byteOffset + p, words);
      let { a, b } = this;
      for (let i = 0; i < words; i++) {
        const x = w[i] | 0;
        a = Math.imul(a ^ x, 0x01000193);
        b = Math.imul((b ^ x) + 0x7f4a7c15, 0x5bd1e995);
        b ^= b >>> 15;
      }
      this.a = a;
      this.b = b;
      p += words * 4;
    }
    while (p < end) this.byte(buf[p++]);
  }

  /** The sum so far, as 16 hex digits (the partial word and the length folded in). */
  digest(): string {
    const c = new Checksum();
    c.a = this.a;
    c.b = this.b;
    c.word(this.pending | 0);
    c.word(this.npending | (this.bytes % 0x100000000));
    c.word(Math.floor(this.bytes / 0x100000000));
    return (c.a >>> 0).toString(16).padStart(8, '0') + (c.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** buf itself when `need` more bytes fit after `used`, else a copy of its first `used` bytes with room to spare (at least double). */
export function withRoom(buf: Uint8Array<ArrayBuffer>, used: number, need: number): Uint8Array<ArrayBuffer> {
  if (used + need <= buf.length) return buf;
  const b = new Uint8Array(Math.max(buf.length * 2, used + need));
  b.set(buf.subarray(0, used));
  return b;
}

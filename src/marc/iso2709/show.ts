/** Bytes for a problem message: printable ASCII as is, anything else as \xNN (no control bytes in logs). */
export function showBytes(buf: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end && i < buf.length; i++) {
    const b = buf[i];
    out +=
      b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

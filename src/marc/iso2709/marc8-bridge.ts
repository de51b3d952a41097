/**
 * The one place the ISO 2709 reader turns MARC-8 bytes into text. Until the MARC-8 decoder
 * (src/marc/marc8/decode.ts) lands this is a Latin-1 stand-in; switching is the one import below.
 */
export function decodeMarc8Bytes(
  bytes: Uint8Array,
  report?: (byteIndex: number, message: string) => void,
): string {
  void report;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

import { decodeMarc8 } from "../marc8/decode.js";

/**
 * The one place the ISO 2709 reader turns MARC-8 bytes into text (NFC UTF-8); `report` gets the index of
 * each undecodable byte in `bytes`.
 */
export function decodeMarc8Bytes(
  bytes: Uint8Array,
  report?: (byteIndex: number, message: string) => void,
): string {
  return decodeMarc8(bytes, report);
}

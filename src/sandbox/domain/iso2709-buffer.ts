/** Whole-buffer ISO 2709 decoding on top of the streaming reader of src/marc. */
import { readIso2709 } from "../../marc/iso2709-reader.js";
import type { MarcRecord } from "../../marc/record.js";

async function* once(buf: Uint8Array): AsyncIterable<Uint8Array> {
  yield buf;
}

/** Every record in `buf`; `strict` throws a MarcReadError on the first problem, else records are recovered. */
export async function decodeIso2709Buffer(buf: Uint8Array, strict: boolean): Promise<MarcRecord[]> {
  const out: MarcRecord[] = [];
  for await (const item of readIso2709(once(buf), { strict })) out.push(item.record);
  return out;
}

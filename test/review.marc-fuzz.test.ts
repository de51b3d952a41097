/** Review: hostile bytes into every reader (permissive) never throw; mutated valid input neither. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MarcFormat, ReadItem } from "../src/marc/codec.js";
import { openReader } from "../src/marc/io.js";
import { encodeIso2709 } from "../src/marc/iso2709-writer.js";
import { recordToMarcJson } from "../src/marc/json.js";
import { recordToMarcXml } from "../src/marc/marcxml-string.js";
import { recordToMrk } from "../src/marc/mrk.js";
import { record } from "./fixtures/marc-text/arbitrary.js";

const FORMATS: MarcFormat[] = ["iso2709", "marcxml", "json", "mrk"];

async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(bytes.length, c);
    if (end > at) {
      yield bytes.subarray(at, end);
      at = end;
    }
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function readAll(format: MarcFormat, bytes: Uint8Array, cuts: number[]): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of openReader(format, chunked(bytes, cuts))) items.push(item);
  return items;
}

function serialise(
  format: MarcFormat,
  records: ReturnType<typeof record> extends fc.Arbitrary<infer R> ? R[] : never,
) {
  switch (format) {
    case "iso2709":
      return Buffer.concat(records.map((r) => encodeIso2709(r)));
    case "marcxml":
      return Buffer.from(
        `<?xml version="1.0"?><collection xmlns="http://www.loc.gov/MARC21/slim">${records.map((r) => recordToMarcXml(r)).join("")}</collection>`,
      );
    case "json":
      return Buffer.from(JSON.stringify(records.map((r) => recordToMarcJson(r))));
    case "mrk":
      return Buffer.from(records.map((r) => recordToMrk(r)).join("\n"));
  }
}

describe("review: readers never throw in permissive mode", () => {
  for (const format of FORMATS) {
    it(`${format}: random bytes`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 400 }),
          fc.array(fc.nat(400), { maxLength: 6 }),
          async (bytes, cuts) => {
            await readAll(format, bytes, cuts);
          },
        ),
        { numRuns: 300 },
      );
    });

    it(`${format}: valid input, truncated and mutated`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(record(true), { minLength: 1, maxLength: 3 }),
          fc.nat(),
          fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
          fc.array(fc.nat(2000), { maxLength: 6 }),
          async (records, cutAt, edits, cuts) => {
            const full = Buffer.from(serialise(format, records));
            const bytes = Buffer.from(full.subarray(0, cutAt % (full.length + 1)));
            for (const [i, b] of edits) if (bytes.length) bytes[i % bytes.length] = b;
            await readAll(format, bytes, cuts);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
  it("sanity", () => expect(FORMATS.length).toBe(4));
});

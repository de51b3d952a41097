/**
 * Converters (io.ts `openConverter`): records encoded straight from the input bytes must come out byte for
 * byte as the reader + writer make them, with the same record numbers, offsets and problems.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConvertItem, MarcFormat, ScanItem } from "../src/marc/codec.js";
import type { OutputFormat } from "../src/marc/format.js";
import { createWriter, openConverter, openReader } from "../src/marc/io.js";
import { CORPUS } from "./fixtures/paths.js";

const MRC = readdirSync(CORPUS).filter((f) => f.endsWith(".mrc"));

/** Like a file source: two buffers used in turn, so bytes kept past the next chunk are overwritten. */
async function* reusing(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffers = [Buffer.alloc(size), Buffer.alloc(size)];
  let turn = 0;
  for (let at = 0; at < bytes.length; at += size, turn ^= 1) {
    const piece = bytes.subarray(at, at + size);
    buffers[turn].fill(0x7e);
    buffers[turn].set(piece);
    yield buffers[turn].subarray(0, piece.length);
  }
}

class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
}

interface Converted {
  bytes: Buffer;
  places: Pick<ScanItem, "recordNumber" | "byteOffset" | "problems">[];
  encoded: number;
}

async function run(items: AsyncIterable<ConvertItem>, to: OutputFormat): Promise<Converted> {
  const out = new Collector();
  const writer = createWriter(to, out);
  const places: Converted["places"] = [];
  let encoded = 0;
  for await (const item of items) {
    places.push({ recordNumber: item.recordNumber, byteOffset: item.byteOffset, problems: item.problems });
    if ("encoded" in item) {
      encoded++;
      await writer.writeEncoded!(item.encoded);
    } else await writer.write(item.record);
  }
  await writer.close();
  return { bytes: Buffer.concat(out.chunks), places, encoded };
}

async function both(from: MarcFormat, to: OutputFormat, bytes: Buffer, size: number) {
  const expected = await run(openReader(from, reusing(bytes, bytes.length + 1)), to);
  const actual = await run(openConverter(from, to, reusing(bytes, size)), to);
  return { expected, actual };
}

describe("ISO 2709 -> MARCXML converter", () => {
  for (const name of MRC) {
    it(`${name}: the writer's bytes, the reader's problems`, async () => {
      const bytes = readFileSync(join(CORPUS, name));
      for (const size of [bytes.length + 1, 4096, 997]) {
        const { expected, actual } = await both("iso2709", "marcxml", bytes, size);
        expect(actual.places).toEqual(expected.places);
        expect(actual.bytes.toString("utf8")).toEqual(expected.bytes.toString("utf8"));
        expect(actual.bytes.equals(expected.bytes)).toBe(true);
      }
    });
  }

  it("encodes clean UTF-8 records itself", async () => {
    const bytes = readFileSync(join(CORPUS, "pride-and-prejudice-fixed.mrc"));
    const { actual } = await both("iso2709", "marcxml", bytes, 65536);
    expect(actual.encoded).toBe(actual.places.length);
    expect(actual.encoded).toBeGreaterThan(100);
  });

  it("mutated records (markup, control characters, non-characters, bad UTF-8): still the writer's bytes", async () => {
    const seed = Buffer.concat(
      ["summerland.mrc", "pride-and-prejudice-fixed.mrc", "chabon.mrc"].map((f) =>
        readFileSync(join(CORPUS, f)).subarray(0, 20000),
      ),
    );
    const interesting = [0x26, 0x3c, 0x3e, 0x22, 0x0d, 0x09, 0x0a, 0x00, 0x1f, 0x1e, 0x1d, 0x20, 0xef, 0xbf];
    const byte = fc.oneof(fc.constantFrom(...interesting), fc.integer({ min: 0, max: 255 }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(seed.length - 1), byte), { maxLength: 6 }),
        fc.integer({ min: 200, max: 5000 }),
        async (edits, size) => {
          const bytes = Buffer.from(seed);
          for (const [at, value] of edits) bytes[at] = value;
          const { expected, actual } = await both("iso2709", "marcxml", bytes, size);
          expect(actual.places).toEqual(expected.places);
          expect(actual.bytes.equals(expected.bytes)).toBe(true);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("U+FFFE and U+FFFF in a value become U+FFFD, as the writer makes them", async () => {
    const seed = readFileSync(join(CORPUS, "pride-and-prejudice-fixed.mrc"));
    const first = seed.subarray(0, Number(seed.toString("latin1", 0, 5)));
    const at = first.indexOf("Austen");
    const bytes = Buffer.from(first);
    bytes.set([0xef, 0xbf, 0xbe], at); // "Aus" becomes U+FFFE: still 3 bytes, still valid UTF-8
    const { expected, actual } = await both("iso2709", "marcxml", bytes, 4096);
    expect(actual.encoded).toBe(0);
    expect(actual.bytes.equals(expected.bytes)).toBe(true);
    expect(actual.bytes.toString("utf8")).toContain("\uFFFDten");
  });
});

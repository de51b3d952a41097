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
import { MarcWriteError } from "../src/marc/iso2709/write-error.js";
import { CORPUS } from "./fixtures/paths.js";

const MRC = readdirSync(CORPUS).filter((f) => f.endsWith(".mrc"));
const XML = readdirSync(CORPUS).filter((f) => f.endsWith(".xml"));

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
  places: (Pick<ScanItem, "recordNumber" | "byteOffset" | "problems"> & { notWritten?: string })[];
  encoded: number;
}

async function run(items: AsyncIterable<ConvertItem>, to: OutputFormat): Promise<Converted> {
  const out = new Collector();
  const writer = createWriter(to, out);
  const places: Converted["places"] = [];
  let encoded = 0;
  for await (const item of items) {
    places.push({ recordNumber: item.recordNumber, byteOffset: item.byteOffset, problems: item.problems });
    try {
      if ("encoded" in item) {
        encoded++;
        await writer.writeEncoded!(item.encoded);
      } else await writer.write(item.record);
    } catch (err) {
      // As `marc convert` does: the record is not written, the others are.
      if (!(err instanceof MarcWriteError)) throw err;
      places.push({ recordNumber: item.recordNumber, problems: [], byteOffset: -1, notWritten: err.reason });
    }
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

/** MARCXML as the writer makes it from a corpus file (what the converter is for), plus yaz-marcdump's layout. */
async function marcXmlOf(name: string): Promise<Buffer> {
  const bytes = readFileSync(join(CORPUS, name));
  return (await run(openReader("iso2709", reusing(bytes, bytes.length + 1)), "marcxml")).bytes;
}

describe("MARCXML -> ISO 2709 converter", () => {
  for (const name of XML) {
    it(`${name}: the writer's bytes, the reader's problems`, async () => {
      const bytes = readFileSync(join(CORPUS, name));
      for (const size of [bytes.length + 1, 4096, 997, 100]) {
        const { expected, actual } = await both("marcxml", "iso2709", bytes, size);
        expect(actual.places).toEqual(expected.places);
        expect(actual.bytes.equals(expected.bytes)).toBe(true);
      }
    });
  }

  for (const name of MRC) {
    it(`${name} as MARCXML: the writer's bytes, the reader's problems`, async () => {
      const bytes = await marcXmlOf(name);
      for (const size of [bytes.length + 1, 65536, 997]) {
        const { expected, actual } = await both("marcxml", "iso2709", bytes, size);
        expect(actual.places).toEqual(expected.places);
        expect(actual.bytes.equals(expected.bytes)).toBe(true);
      }
    });
  }

  it("encodes plain records itself, with yaz-marcdump's layout too", async () => {
    const ours = await marcXmlOf("pride-and-prejudice-fixed.mrc");
    const yaz = Buffer.from(
      ours
        .toString("utf8")
        .replace(/\n {2}<record>/g, "\n<record>")
        .replace(/<collection xmlns="([^"]+)">/, '<collection xmlns="$1"\n>'),
    );
    for (const bytes of [ours, yaz]) {
      const { expected, actual } = await both("marcxml", "iso2709", bytes, 65536);
      expect(actual.encoded).toBe(actual.places.length);
      expect(actual.encoded).toBeGreaterThan(100);
      expect(actual.bytes.equals(expected.bytes)).toBe(true);
    }
  });

  it("a prefixed collection, entities and character references", async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">' +
      "<marc:record><marc:leader>00000cam a2200000 a 4500</marc:leader>" +
      "<marc:controlfield tag='001'>a&amp;b&#x263A;&#65;</marc:controlfield>" +
      '<marc:datafield tag="245" ind2="0" ind1="1"><marc:subfield code="a">T &lt;1&gt; &quot;q&apos;</marc:subfield>' +
      '<marc:subfield code="b"></marc:subfield></marc:datafield></marc:record>\n</marc:collection>\n';
    const { expected, actual } = await both("marcxml", "iso2709", Buffer.from(xml), 4096);
    expect(actual.encoded).toBe(1);
    expect(actual.bytes.equals(expected.bytes)).toBe(true);
    expect(actual.bytes.toString("utf8")).toContain("a&b\u263AA\x1e");
  });

  it("mutated documents (markup, references, control characters, cut records): still the reader's and writer's", async () => {
    const seed = (await marcXmlOf("pride-and-prejudice-fixed.mrc")).subarray(0, 40000);
    const pieces = [
      "<!-- c -->",
      "<![CDATA[x]]>",
      "&amp;",
      "&#x1F;",
      "&#9;",
      "&bogus;",
      "\r\n",
      "\u0001",
      "</record>",
      "<record>",
      "<foo/>",
      ' ind1="x"',
      "\uFFFE",
      "</collection>",
      "<",
      "&",
      ">",
      '"',
    ].map((s) => Buffer.from(s));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(seed.length - 1), fc.nat(pieces.length - 1), fc.boolean()), {
          maxLength: 4,
        }),
        fc.integer({ min: 100, max: 8000 }),
        async (edits, size) => {
          let bytes = Buffer.from(seed);
          for (const [at, piece, replace] of edits)
            bytes = Buffer.concat([
              bytes.subarray(0, at),
              pieces[piece],
              bytes.subarray(replace ? at + pieces[piece].length : at),
            ]);
          const { expected, actual } = await both("marcxml", "iso2709", bytes, size);
          expect(actual.places).toEqual(expected.places);
          expect(actual.bytes.equals(expected.bytes)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("strict: the records before the bad one come out, then the reader's error", async () => {
    const good = (await marcXmlOf("summerland.mrc")).toString("utf8");
    const bad = good.replace(
      "</record>\n</collection>",
      "</record>\n<record><leader>x</leader></record></collection>",
    );
    const reading = async (items: AsyncIterable<ConvertItem>) => {
      const seen: number[] = [];
      try {
        for await (const item of items) seen.push(item.recordNumber);
      } catch (err) {
        return { seen, message: (err as Error).message };
      }
      return { seen, message: "" };
    };
    const bytes = Buffer.from(bad);
    const expected = await reading(openReader("marcxml", reusing(bytes, 4096), { strict: true }));
    expect(expected.message).toMatch(/record 2 \(byte \d+\).*leader is 1 characters/);
    const actual = await reading(openConverter("marcxml", "iso2709", reusing(bytes, 4096), { strict: true }));
    expect(actual).toEqual(expected);
  });
});

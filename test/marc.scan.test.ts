/**
 * The fast paths of the commands: `countIso2709` (what `marc count` uses) must report exactly what the full
 * reader reports, and readers must stay right when their source reuses its buffers (the file source does)
 * and when records are cut anywhere by chunk boundaries.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { CountBatch, MarcFormat, ReadItem, ScanItem } from "../src/marc/codec.js";
import { fileChunks } from "../src/marc/file-source.js";
import { countSource, openReader, readSource } from "../src/marc/io.js";
import { countIso2709, readIso2709 } from "../src/marc/iso2709-reader.js";
import { CORPUS } from "./fixtures/paths.js";

const MRC = readdirSync(CORPUS).filter((f) => f.endsWith(".mrc"));

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * Like a file source: every chunk is copied into one of two buffers used in turn, so a reader that keeps a
 * chunk longer than the next one sees it overwritten.
 */
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

async function read(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A count's total and the places of its records with problems. */
async function count(batches: AsyncIterable<CountBatch>) {
  let records = 0;
  const flagged: ScanItem[] = [];
  for await (const batch of batches) {
    records += batch.records;
    flagged.push(...batch.flagged);
  }
  return { records, flagged: flagged.map(place) };
}

const place = (i: ScanItem) => ({
  recordNumber: i.recordNumber,
  byteOffset: i.byteOffset,
  problems: i.problems,
});

/** What a count must say of what the reader read. */
const counted = (items: ReadItem[]) => ({
  records: items.length,
  flagged: items.filter((i) => i.problems.length > 0).map(place),
});

describe("countIso2709 (marc count)", () => {
  for (const name of MRC) {
    it(`${name}: the same count, record numbers, offsets and problems as the reader`, async () => {
      const bytes = readFileSync(join(CORPUS, name));
      const items = await read(readIso2709(chunked(bytes, bytes.length + 1)));
      for (const size of [bytes.length + 1, 4096, 997]) {
        expect(await count(countIso2709(chunked(bytes, size)))).toEqual(counted(items));
        expect((await read(readIso2709(reusing(bytes, size)))).map(place)).toEqual(items.map(place));
      }
    });
  }

  it("one bad record among clean ones in a chunk: the chunk's UTF-8 check does not hide it", async () => {
    const clean = readFileSync(join(CORPUS, "pride-and-prejudice-fixed.mrc"));
    const records = Array.from({ length: 3 }, () => Buffer.from(clean));
    // Bytes in the data of the 2nd copy's first record: invalid UTF-8 (a UTF-8 record), and valid UTF-8
    // but not ASCII in a record marked MARC-8 (Leader/09 blank), which MARC-8 decoding must see.
    const dataStart = (buf: Buffer) => Number(buf.toString("latin1", 12, 17));
    records[1][dataStart(records[1]) + 2] = 0xff;
    const marc8 = Buffer.from(clean);
    marc8[9] = 0x20;
    marc8.set([0xc2, 0x80], dataStart(marc8) + 2);
    const bytes = Buffer.concat([...records, marc8]);
    const items = await read(readIso2709(chunked(bytes, bytes.length)));
    expect(counted(items).flagged.map((i) => i.recordNumber)).toEqual([384, 3 * 383 + 1]);
    for (const size of [bytes.length, 1 << 20, 65536])
      expect(await count(countIso2709(reusing(bytes, size)))).toEqual(counted(items));
  });

  it("mutated records: the scan finds every problem the reader finds", async () => {
    const seed = Buffer.concat(
      ["summerland.mrc", "brkrtest.mrc", "chabon.mrc"].map((f) => readFileSync(join(CORPUS, f))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.integer({ min: 1, max: 3000 }),
        async (edits, size) => {
          const bytes = Buffer.from(seed);
          for (const [at, value] of edits) bytes[at] = value;
          const items = await read(readIso2709(chunked(bytes, bytes.length)));
          expect(await count(countIso2709(reusing(bytes, size)))).toEqual(counted(items));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("strict: the records before the bad one come out, then the error", async () => {
    const good = readFileSync(join(CORPUS, "summerland.mrc"));
    const bad = Buffer.from(good);
    bad[10] = 0x33; // leader/10 '3': a problem, so strict mode throws
    const seen: number[] = [];
    const reading = async () => {
      for await (const item of readIso2709(chunked(Buffer.concat([good, good, bad]), 1 << 20), {
        strict: true,
      }))
        seen.push(item.recordNumber);
    };
    await expect(reading()).rejects.toThrow(/record 3 \(byte \d+\)/);
    expect(seen).toEqual([1, 2]);
  });
});

describe("readers on a source that reuses its buffers", () => {
  const files: Record<MarcFormat, string> = {
    iso2709: "brkrtest.mrc",
    marcxml: "summerland.xml",
    json: "marc-in-json.json",
    mrk: "brkrtest.mrk",
  };
  for (const [format, name] of Object.entries(files) as [MarcFormat, string][]) {
    it(`${format}: the records are those read from one piece`, async () => {
      const bytes = readFileSync(join(CORPUS, name));
      const expected = await read(openReader(format, chunked(bytes, bytes.length)));
      expect(expected.length).toBeGreaterThan(0);
      for (const size of [17, 256, 1000]) {
        const items = await read(readSource(reusing(bytes, size)));
        expect(items.map((i) => i.record)).toEqual(expected.map((i) => i.record));
        expect(await count(countSource(reusing(bytes, size)))).toEqual(counted(expected));
      }
    });
  }
});

describe("fileChunks", () => {
  const dir = mkdtempSync(join(tmpdir(), "nightshift-scan-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives every byte of the file once, in order, in chunks of the asked size", async () => {
    const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) % 256));
    const path = join(dir, "bytes.bin");
    writeFileSync(path, bytes);
    const seen: Buffer[] = [];
    for await (const chunk of fileChunks(path, 4096)) seen.push(Buffer.from(chunk));
    expect(seen.map((c) => c.length)).toEqual([4096, 4096, 1808]);
    expect(Buffer.concat(seen).equals(bytes)).toBe(true);
  });

  it("an unreadable path fails with the file system's error", async () => {
    const reading = async () => {
      for await (const _ of fileChunks(join(dir, "missing.mrc")));
    };
    await expect(reading()).rejects.toMatchObject({ code: "ENOENT" });
  });
});

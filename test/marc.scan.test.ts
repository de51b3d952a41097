/**
 * The fast paths of the commands: `scanIso2709` (what `marc count` uses) must report exactly what the full
 * reader reports, and readers must stay right when their source reuses its buffers (the file source does)
 * and when records are cut anywhere by chunk boundaries.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { MarcFormat, ReadItem, ScanItem } from "../src/marc/codec.js";
import { fileChunks } from "../src/marc/file-source.js";
import { openReader, readSource, scanSource } from "../src/marc/io.js";
import { readIso2709, scanIso2709 } from "../src/marc/iso2709-reader.js";
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

async function scan(batches: AsyncIterable<readonly ScanItem[]>): Promise<ScanItem[]> {
  const out: ScanItem[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

const place = (i: ScanItem) => ({
  recordNumber: i.recordNumber,
  byteOffset: i.byteOffset,
  problems: i.problems,
});

describe("scanIso2709 (marc count)", () => {
  for (const name of MRC) {
    it(`${name}: the same record numbers, offsets and problems as the reader`, async () => {
      const bytes = readFileSync(join(CORPUS, name));
      const expected = (await read(readIso2709(chunked(bytes, bytes.length + 1)))).map(place);
      for (const size of [bytes.length + 1, 4096, 997]) {
        expect((await scan(scanIso2709(chunked(bytes, size)))).map(place)).toEqual(expected);
        expect((await read(readIso2709(reusing(bytes, size)))).map(place)).toEqual(expected);
      }
    });
  }

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
          const expected = (await read(readIso2709(chunked(bytes, bytes.length)))).map(place);
          expect((await scan(scanIso2709(reusing(bytes, size)))).map(place)).toEqual(expected);
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
        expect((await scan(scanSource(reusing(bytes, size)))).map(place)).toEqual(expected.map(place));
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

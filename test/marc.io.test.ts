import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ReadItem } from "../src/marc/codec.js";
import { detectFormat, parseFormatName } from "../src/marc/format.js";
import {
  createWriter,
  MarcFormatError,
  openReader,
  peekSource,
  readFile,
  readSource,
} from "../src/marc/io.js";
import { CORPUS } from "./fixtures/paths.js";

async function collect(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* source(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

describe("detectFormat", () => {
  it("guesses from the first bytes", () => {
    const b = (s: string) => Buffer.from(s, "utf8");
    expect(detectFormat(b("\uFEFF  <?xml version"))).toBe("marcxml");
    expect(detectFormat(b('\n{"leader"'))).toBe("json");
    expect(detectFormat(b("[{"))).toBe("json");
    expect(detectFormat(b("=LDR  00714cam"))).toBe("mrk");
    expect(detectFormat(b("00714cam a2200205"))).toBe("iso2709");
    expect(detectFormat(b("0071x"))).toBeUndefined();
    expect(detectFormat(b(""))).toBeUndefined();
  });

  it("names formats by their aliases", () => {
    expect(["mrc", "XML", "marcxml", "json", "mrk", "text", "iso2709"].map(parseFormatName)).toEqual([
      "iso2709",
      "marcxml",
      "marcxml",
      "json",
      "mrk",
      "text",
      "iso2709",
    ]);
    expect(parseFormatName("pdf")).toBeUndefined();
  });
});

describe("registry", () => {
  it("reads files of each format, guessing the format", async () => {
    const iso = await collect(readFile(join(CORPUS, "chabon.mrc")));
    const xml = await collect(readFile(join(CORPUS, "chabon.xml")));
    expect(iso.length).toBe(2);
    expect(xml.map((i) => i.record.title())).toEqual(iso.map((i) => i.record.title()));
  });

  it("ISO 2709 -> MARCXML -> ISO 2709 through createWriter/openReader gives equal records", async () => {
    const original = await collect(readFile(join(CORPUS, "pride-and-prejudice-fixed.mrc")));
    for (const format of ["marcxml", "iso2709"] as const) {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on("data", (c: Buffer) => chunks.push(c));
      const writer = createWriter(format, out);
      for (const item of original) await writer.write(item.record);
      await writer.close();
      const back = await collect(openReader(format, source(Buffer.concat(chunks))));
      expect(back.length).toBe(original.length);
      expect(back.every((b, k) => b.record.equals(original[k].record))).toBe(true);
    }
  });

  it("says clearly when the format cannot be guessed", async () => {
    const err = await collect(readSource(source(Buffer.from("hello")), { name: "x.bin" })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MarcFormatError);
    expect((err as Error).message).toMatch(/x.bin is not MARC: it starts with "hello"/);
    expect(await collect(readSource(source()))).toEqual([]);
  });

  it("peekSource gives back every byte after the peek", async () => {
    const bytes = readFileSync(join(CORPUS, "summerland.mrc"));
    const { head, source: rest } = await peekSource(
      source(bytes.subarray(0, 3), bytes.subarray(3, 100), bytes.subarray(100)),
      8,
    );
    expect(Buffer.from(head).toString("latin1")).toBe("00714cam");
    const all: Uint8Array[] = [];
    for await (const c of rest) all.push(c);
    expect(Buffer.concat(all).equals(bytes)).toBe(true);
  });
});

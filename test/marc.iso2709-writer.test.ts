import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReadItem } from "../src/marc/codec.js";
import { readIso2709 } from "../src/marc/iso2709-reader.js";
import { createIso2709Writer, encodeIso2709, MarcWriteError } from "../src/marc/iso2709-writer.js";
import { controlField, createRecord, dataField, type MarcRecord } from "../src/marc/record.js";
import { CORPUS } from "./fixtures/paths.js";

async function readBytes(bytes: Uint8Array): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  const source = (async function* () {
    yield bytes;
  })();
  for await (const item of readIso2709(source)) items.push(item);
  return items;
}

/** What the writer does to a leader: lengths, base address, 'a', '22', '4500'. */
const normalised = (r: MarcRecord, length: number, base: number) =>
  `${String(length).padStart(5, "0")}${r.leader.slice(5, 9)}a22${String(base).padStart(5, "0")}${r.leader.slice(17, 20)}4500`;

describe("encodeIso2709", () => {
  for (const name of [
    "summerland.mrc",
    "chabon.mrc",
    "u17_utf8.mrc",
    "pride-and-prejudice-fixed.mrc",
    "brkrtest_UTF8.mrc",
  ]) {
    it(`writes ${name} back byte for byte`, async () => {
      const original = readFileSync(join(CORPUS, name));
      const items = await readBytes(original);
      expect(Buffer.concat(items.map((i) => encodeIso2709(i.record))).equals(original)).toBe(true);
    });
  }

  it("computes lengths in UTF-8 bytes, leader and directory", async () => {
    const record = createRecord({
      leader: "99999nam  2299999 a 9999",
      fields: [controlField("001", "x1"), dataField("245", "1", "0", [["a", "Æsop — 寓言 😀"]])],
    });
    const bytes = encodeIso2709(record);
    const value = Buffer.from("Æsop — 寓言 😀", "utf8").length;
    const f245 = 2 + 2 + value + 1;
    expect(bytes.length).toBe(24 + 2 * 12 + 1 + 3 + f245 + 1);
    expect(bytes.toString("latin1", 0, 24)).toBe(
      `${String(bytes.length).padStart(5, "0")}nam a2200049 a 4500`,
    );
    expect(bytes.toString("latin1", 24, 48)).toBe(`001000300000245${String(f245).padStart(4, "0")}00003`);
    expect([bytes[48], bytes[bytes.length - 1]]).toEqual([0x1e, 0x1d]);
    const [back] = await readBytes(bytes);
    expect(back.problems).toEqual([]);
    expect(back.record.equals(record.withLeader(back.record.leader))).toBe(true);
  });

  it("refuses what ISO 2709 cannot hold, naming record and field", () => {
    const long = createRecord({ fields: [dataField("500", " ", " ", [["a", "x".repeat(10_000)]])] });
    expect(() => encodeIso2709(long, 7)).toThrow(
      "record 7, field 500: field is 10005 bytes; ISO 2709 allows 9,999",
    );
    const huge = createRecord({
      fields: Array.from({ length: 12 }, () => dataField("500", " ", " ", [["a", "x".repeat(9000)]])),
    });
    expect(() => encodeIso2709(huge)).toThrow(/record is \d+ bytes; ISO 2709 allows 99,999/);
    expect(() => encodeIso2709(createRecord({ fields: [controlField("01", "x")] }))).toThrow(/tag '01'/);
    const delimiter = createRecord({ fields: [dataField("245", "1", "0", [["a", "a\x1fb"]])] });
    expect(() => encodeIso2709(delimiter)).toThrow(MarcWriteError);
    expect(() => encodeIso2709(createRecord({ fields: [dataField("245", "10", "0", [])] }))).toThrow(
      /indicator/,
    );
  });
});

describe("createIso2709Writer", () => {
  it("streams many records to a file that reads back equal", async () => {
    const items = await readBytes(readFileSync(join(CORPUS, "pride-and-prejudice-fixed.mrc")));
    const dir = await mkdtemp(join(tmpdir(), "ns-iso-"));
    const path = join(dir, "out.mrc");
    const writer = createIso2709Writer(createWriteStream(path));
    for (let round = 0; round < 3; round++) for (const i of items) await writer.write(i.record);
    await expect(writer.write(createRecord({ fields: [controlField("0011", "x")] }))).rejects.toThrow(
      MarcWriteError,
    );
    await writer.close();
    const back: ReadItem[] = [];
    for await (const item of readIso2709(createReadStream(path))) back.push(item);
    expect(back.length).toBe(3 * items.length);
    expect(
      back.every((b, k) => b.record.equals(items[k % items.length].record) && b.problems.length === 0),
    ).toBe(true);
    expect((await readFile(path)).length).toBe(
      3 * readFileSync(join(CORPUS, "pride-and-prejudice-fixed.mrc")).length,
    );
  });
});

describe("ISO 2709 write/read property", () => {
  const text = fc
    .string({ unit: "grapheme", maxLength: 40 })
    .map((s) => s.replaceAll("\x1d", "").replaceAll("\x1e", "").replaceAll("\x1f", ""));
  const code = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789");
  const ind = fc.constantFrom(" ", "0", "1", "2", "9");
  const control = fc.record({ tag: fc.constantFrom("001", "003", "005", "008", "007"), value: text });
  const data = fc.record({
    tag: fc.integer({ min: 10, max: 999 }).map((n) => String(n).padStart(3, "0")),
    ind1: ind,
    ind2: ind,
    subfields: fc.array(fc.tuple(code, text), { maxLength: 6 }),
  });
  const leader = fc.stringMatching(/^[a-z ]{24}$/);
  const record = fc
    .tuple(leader, fc.array(control, { maxLength: 4 }), fc.array(data, { maxLength: 12 }))
    .map(([l, cs, ds]) =>
      createRecord({
        leader: l,
        fields: [
          ...cs.map((c) => controlField(c.tag, c.value)),
          ...ds.map((d) => dataField(d.tag, d.ind1, d.ind2, d.subfields)),
        ],
      }),
    );

  it("random records survive write then read, with only the computed leader positions changed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 5 }), async (records) => {
        const bytes = Buffer.concat(records.map((r) => encodeIso2709(r)));
        const back = await readBytes(bytes);
        expect(back.length).toBe(records.length);
        let at = 0;
        back.forEach((item, k) => {
          const length = encodeIso2709(records[k]).length;
          const base = 24 + 12 * records[k].fields.length + 1;
          expect(item.problems).toEqual([]);
          expect(item.byteOffset).toBe(at);
          expect(item.record.equals(records[k].withLeader(normalised(records[k], length, base)))).toBe(true);
          at += length;
        });
      }),
      { numRuns: 200 },
    );
  });
});

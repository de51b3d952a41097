import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReadItem } from "../src/marc/codec.js";
import { readIso2709 } from "../src/marc/iso2709-reader.js";
import { createMrkWriter, readMrk, recordToMrk } from "../src/marc/mrk.js";
import { decodeMnemonics, encodeMnemonics } from "../src/marc/mrk-mnemonics.js";
import { subfield } from "../src/marc/record.js";
import { record } from "./fixtures/marc-text/arbitrary.js";
import { CORPUS, readAll, writeAll } from "./fixtures/marc-text/io.js";

const corpus = (name: string) => readFileSync(join(CORPUS, name));
const withoutLength = (item: ReadItem) => item.record.withLeader(`00000${item.record.leader.slice(5)}`);

describe(".mrk reader", () => {
  it("brkrtest.mrk (MARC-8 mnemonics) reads as brkrtest.mrc decoded from MARC-8", async () => {
    const mrk = await readAll(readMrk, corpus("brkrtest.mrk"), {}, 64);
    const mrc = await readAll(readIso2709, corpus("brkrtest.mrc"), {}, 4096);
    expect(mrk).toHaveLength(8);
    expect(mrk.every((i) => i.problems.length === 0)).toBe(true);
    expect(mrk.map((item, i) => item.record.equals(mrc[i].record))).toEqual(mrk.map(() => true));
  });

  it("brkrtest.mrk8 (UTF-8) reads as brkrtest_UTF8.mrc, up to NFC and record lengths", async () => {
    const mrk8 = await readAll(readMrk, corpus("brkrtest.mrk8"), {}, 64);
    const utf = await readAll(readIso2709, corpus("brkrtest_UTF8.mrc"), {}, 4096);
    const nfc = (item: ReadItem) => JSON.stringify(withoutLength(item)).normalize("NFC");
    expect(mrk8.map(nfc)).toEqual(utf.map(nfc));
  });

  it("decodes mnemonics to known values", async () => {
    const [, second] = await readAll(readMrk, corpus("brkrtest.mrk"));
    const notes = second.record.getFields("500").map((f) => subfield(f, "a") ?? "");
    expect(notes[0]).toBe("This is a test of diacritics like the uppercase Polish L in Łódź");
    expect(notes).toContain("the British pound sign in £5.95");
    expect(second.record.leader[9]).toBe("a");
    const [first] = await readAll(readMrk, corpus("brkrtest.mrk"));
    expect(first.record.controlValue("001")).toBe("tes96000001 ");
    expect(first.record.controlValue("008")).toBe("960221s1955    dcuabcdjdbkoqu001 0deng d");
    const f500 = first.record.getFields("500").map((f) => subfield(f, "a"));
    expect(f500[1]).toBe(
      "This is a test for the conversion of curly braces; the opening curly brace ({) and the closing curly brace (}).",
    );
    const last = (await readAll(readMrk, corpus("brkrtest.mrk"))).at(-1)!;
    expect(last.record.getFields("020").map((f) => subfield(f, "c"))).toContain("$35.99");
  });

  it("reports malformed lines with line numbers and keeps going", async () => {
    const text =
      "=LDR  00000nam a2200000 a 4500\nnot a field\n=245  10$aT\n=LDR  x\n\n=LDR  00000nam a2200000 a 4500\n=001  2\n";
    const items = await readAll(readMrk, text);
    expect(items).toHaveLength(2);
    expect(items[0].problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/does not start with =TAG.*line 2/),
      expect.stringMatching(/second =LDR.*line 4/),
    ]);
    expect(subfield(items[0].record.get("245")!, "a")).toBe("T");
    expect(items[1].record.controlValue("001")).toBe("2");
    await expect(readAll(readMrk, text, { strict: true })).rejects.toThrow(/record 1/);
  });
});

describe(".mrk writer", () => {
  it("escapes $, braces, backslashes and blanks as MarcEdit does", () => {
    expect(encodeMnemonics("$5 {x} a\\b\n")).toBe("{dollar}5 {lcub}x{rcub} a{bsol}b{U+000A}");
    expect(decodeMnemonics("{dollar}5 {lcub}x{rcub} {acute}e {unknown} {U+1F600}")).toBe(
      "$5 {x} \u0301e {unknown} 😀",
    );
  });

  it("writes brkrtest records that re-read equal", async () => {
    const records = (await readAll(readMrk, corpus("brkrtest.mrk"))).map((i) => i.record);
    const text = await writeAll((out) => createMrkWriter(out), records);
    expect(text.startsWith("=LDR  01201nam a2200253 a 4500\r\n=001  tes96000001\\\r\n")).toBe(true);
    expect(recordToMrk(records[0])).toContain("=008  960221s1955\\\\\\\\dcuabcdjdbkoqu001\\0deng\\d\r\n");
    const back = await readAll(readMrk, text, { strict: true });
    expect(back.map((item, i) => item.record.equals(records[i]))).toEqual(records.map(() => true));
  });

  it("property: random records survive write and read", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record(false), { maxLength: 5 }), async (records) => {
        const text = await writeAll((out) => createMrkWriter(out), records);
        const items = await readAll(readMrk, text, { strict: true }, 11);
        expect(items.length).toBe(records.length);
        expect(items.map((item, i) => item.record.equals(records[i]))).toEqual(records.map(() => true));
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * Our readers against reference tools, through fixtures made once by test/fixtures/review2-marc/generate.ts
 * from yaz-marcdump and Perl's MARC::Record (neither is needed here): every record of the corpus, field by
 * field, value by value after UTF-8 conversion.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dumpRecord } from "../src/marc/dump.js";
import { readFile } from "../src/marc/io.js";
import { decodeMarc8 } from "../src/marc/marc8/decode.js";
import type { MarcRecord } from "../src/marc/record.js";
import { CORPUS } from "./fixtures/paths.js";
import { comparable, MARC_RECORD_FILES, sha256, YAZ_FILES } from "./fixtures/review2-marc/reference.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "review2-marc");
const fixture = (name: string): Record<string, string[]> =>
  JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

async function records(file: string): Promise<MarcRecord[]> {
  const out: MarcRecord[] = [];
  for await (const item of readFile(join(CORPUS, file))) out.push(item.record);
  return out;
}

/** Our side in the fixture's form: text, or its SHA-256 where the fixture holds digests. */
function asFixture(ours: string[], expected: string[]): string[] {
  return ours.map((r, i) => (/^[0-9a-f]{64}$/.test(expected[i] ?? "") ? sha256(r) : r));
}

/** MARC::Record's view: [leader, [[tag, value] | [tag, ind1, ind2, [code, value]...]...]]. */
function marcRecordView(record: MarcRecord): string {
  const fields = record.fields.map((f) =>
    f.kind === "control"
      ? [f.tag, f.value]
      : [f.tag, f.ind1, f.ind2, ...f.subfields.map((s) => [s.code, s.value])],
  );
  return JSON.stringify([record.leader, fields]);
}

describe("readers against yaz-marcdump -o line (MARC-8 via -f MARC-8 -t UTF-8 -l 9=97)", () => {
  const yaz = fixture("yaz-line.json");
  it.each(YAZ_FILES)("%s: every record dumps as yaz dumps it", async (file) => {
    const expected = yaz[file]!;
    const ours = (await records(file)).map((r) => comparable(dumpRecord(r).slice(0, -1))); // yaz: no empty line after the last record;
    expect(ours).toHaveLength(expected.length);
    expect(asFixture(ours, expected)).toEqual(expected);
  });
});

describe("readers against MARC::Record (MARC::Charset for MARC-8, Leader/09 set to 'a')", () => {
  const perl = fixture("marc-record.json");
  it.each(MARC_RECORD_FILES)("%s: leader, fields, indicators, subfields and values", async (file) => {
    const expected = perl[file]!;
    const ours = (await records(file)).map((r) => comparable(marcRecordView(r)));
    expect(ours).toHaveLength(expected.length);
    expect(asFixture(ours, expected)).toEqual(expected);
  });
});

describe("MARC-8 as the reference decoders read it", () => {
  const bytes = (...parts: (string | number)[]) =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === "number" ? [p] : [...p].map((c) => c.charCodeAt(0)))));

  it("every subfield starts again in ASCII/ANSEL (cyrillic_capital_e.mrc: $b left in Cyrillic)", () => {
    // 880 $a ESC ( N mOSKWA ESC ( B : $b ESC ( N $K SMO ESC ( B , -- yaz and MARC::Record: "$K SMO,"
    const field = bytes(
      0x1f,
      "a",
      0x1b,
      "(NmOSKWA",
      0x1b,
      "(B :",
      0x1f,
      "b",
      0x1b,
      "(N",
      0x1f,
      "KSMO",
      0x1b,
      "(B,",
    );
    expect(decodeMarc8(field)).toBe("\u001faМосква :\u001fb\u001fKSMO,");
  });

  it("an undefined EACC character spoils one character, not the rest of the subfield", () => {
    // incomplete_esc_seq.mrc 245 $c: 龉 ('c'), then "b<" (a character that lost its first byte), then 音 (!`1).
    // Stepping three bytes on would misread every character after it; yaz resynchronises a byte at a time.
    const reports: string[] = [];
    const text = decodeMarc8(bytes(0x1b, "$1'c'b<!`1", 0x1b, "(B."), (_, m) => reports.push(m));
    expect(text).toBe("龉\ufffd音.");
    expect(reports).toHaveLength(1);
  });
});

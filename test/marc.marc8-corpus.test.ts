/** MARC-8 decoding of the shared corpus, with UTF-8 twins of the same records as the oracle. */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeMarc8 } from "../src/marc/marc8/decode.js";
import { CORPUS as CORPUS_DIR } from "./fixtures/paths.js";

const CORPUS = pathToFileURL(`${CORPUS_DIR}/`);

interface RawField {
  readonly tag: string;
  readonly data: Uint8Array;
}

/** Tiny ISO 2709 splitter (leader base address + 12-byte directory entries); field data without its terminator. */
function records(file: string): RawField[][] {
  const bytes = readFileSync(new URL(file, CORPUS));
  const text = (from: number, to: number) => bytes.subarray(from, to).toString("latin1");
  const out: RawField[][] = [];
  for (let at = 0; at + 24 <= bytes.length; ) {
    const length = Number(text(at, at + 5));
    const base = at + Number(text(at + 12, at + 17));
    const fields: RawField[] = [];
    for (let d = at + 24; bytes[d] !== 0x1e && d + 12 <= base; d += 12) {
      const start = base + Number(text(d + 7, d + 12));
      let data = bytes.subarray(start, start + Number(text(d + 3, d + 7)));
      if (data[data.length - 1] === 0x1e) data = data.subarray(0, -1);
      fields.push({ tag: text(d, d + 3), data });
    }
    out.push(fields);
    at += length;
  }
  return out;
}

function decodeAll(fields: RawField[]) {
  return fields.map((f) => {
    const reports: [number, string][] = [];
    return { tag: f.tag, text: decodeMarc8(f.data, (i, m) => reports.push([i, m])), reports };
  });
}

const utf8 = (f: RawField) => Buffer.from(f.data).toString("utf8").normalize("NFC");

/** Every field of MARC-8 record `marc8[r]` equals the UTF-8 twin field by field, with nothing reported. */
function expectTwins(marc8: RawField[], twin: RawField[]): number {
  expect(marc8.map((f) => f.tag)).toEqual(twin.map((f) => f.tag));
  const decoded = decodeAll(marc8);
  decoded.forEach((d, k) => {
    expect({ tag: d.tag, text: d.text, reports: d.reports }).toEqual({
      tag: d.tag,
      text: utf8(twin[k]!),
      reports: [],
    });
  });
  return decoded.length;
}

describe("MARC-8 corpus", () => {
  it("brkrtest.mrc equals brkrtest_UTF8.mrc for every field of every record", () => {
    const marc8 = records("brkrtest.mrc");
    const twins = records("brkrtest_UTF8.mrc");
    expect(marc8).toHaveLength(8);
    const compared = marc8.reduce((n, fields, r) => n + expectTwins(fields, twins[r]!), 0);
    expect(compared).toBe(243);
  });

  it("EACC: the MARC-8 record (and its NCR form) equal the UTF-8 record of chinese_mangled_multibyte.mrc", () => {
    const [, good, ncr, twin] = records("chinese_mangled_multibyte.mrc");
    expect(expectTwins(good!, twin!)).toBe(60);
    expect(expectTwins(ncr!, twin!)).toBe(60);
  });

  it("Greek written as NCRs after ANSEL acutes equals the UTF-8 record of greekmissingcharsetchange.mrc", () => {
    const [, ncr, twin] = records("greekmissingcharsetchange.mrc");
    expect(expectTwins(ncr!, twin!)).toBe(31);
  });

  it("reports the punctuation missing from Basic Greek when the record never returns to ASCII", () => {
    const [decoded] = decodeAll([
      records("greekmissingcharsetchange.mrc")[0]!.filter((f) => f.tag === "880")[2]!,
    ]);
    expect(decoded!.text).toBe("1 \u001f6700-03/(S\u001faΓιαννικουρη\ufffd Α\ufffd");
    expect(decoded!.reports.map(([, m]) => m)).toEqual([
      "byte 0x2C not defined in Basic Greek, replaced by U+FFFD",
      "byte 0x2E not defined in Basic Greek, replaced by U+FFFD",
    ]);
  });

  it("Cyrillic: decodes 880s and keeps subfield codes ASCII when G0 is still Cyrillic", () => {
    const [first, second] = records("cyrillic_capital_e.mrc").map((r) =>
      decodeAll(r.filter((f) => f.tag === "880")),
    );
    expect(first![0]!.text).toBe("1 \u001f6100-01/(N\u001faБуйда, Юрий.");
    expect(first![4]!.text).toBe("1 \u001f6490-04/(N\u001faБольшая литература. Проза Юрия Буйды.");
    expect(second![1]!.text).toBe(
      "10\u001f6245-01/(N\u001faСиндром Петрушки :\u001fbроман /\u001fcДина РубинА",
    ); // the record's own typo: 'a' is capital А in Basic Cyrillic
  });

  it("incomplete escape sequences before field terminators become U+FFFD, reported at the ESC", () => {
    const fields = records("incomplete_esc_seq.mrc")[0]!;
    const incomplete = fields.flatMap((f) => {
      const reports: [number, string][] = [];
      const text = decodeMarc8(f.data, (i, m) => reports.push([i, m]));
      return reports.filter(([, m]) => m.startsWith("incomplete escape")).map(([i]) => ({ i, f, text }));
    });
    // 880s ending in ESC $ (twice), ESC $ ), ESC $ -, ESC $ , (the record's directory is off, hence the cuts).
    expect(incomplete).toHaveLength(5);
    for (const { i, f, text } of incomplete) {
      expect(f.data[i]).toBe(0x1b);
      expect(text.endsWith("\u001fa\ufffd")).toBe(true);
    }
  });

  it.each([
    "brkrtest.mrc",
    "greekmissingcharsetchange.mrc",
    "incomplete_esc_seq.mrc",
    "cyrillic_capital_e.mrc",
    "chinese_mangled_multibyte.mrc",
    "loongboonmee.mrc",
    "kan1222221.mrc",
  ])("%s: every field decodes to NFC; every U+FFFD is reported", (file) => {
    for (const record of records(file)) {
      for (const d of decodeAll(record)) {
        expect(d.text).toBe(d.text.normalize("NFC"));
        const replacements = [...d.text].filter((c) => c === "\ufffd").length;
        expect(d.reports.length).toBeGreaterThanOrEqual(replacements);
      }
    }
  });
});

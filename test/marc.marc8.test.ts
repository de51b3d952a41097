import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMarc8 } from "../src/marc/marc8/decode.js";

interface Sample {
  what: string;
  marc8: string;
  text: string;
}

/** "{XX}" is the byte 0xXX, "{ESC}" is 0x1B, anything else is ASCII. */
function bytesOf(notation: string): Uint8Array {
  const out: number[] = [];
  for (const part of notation.split(/(\{ESC\}|\{[0-9A-F]{2}\})/)) {
    if (part === "{ESC}") out.push(0x1b);
    else if (/^\{[0-9A-F]{2}\}$/.test(part)) out.push(Number.parseInt(part.slice(1, 3), 16));
    else for (const ch of part) out.push(ch.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

function decodeWithReports(notation: string): { text: string; reports: [number, string][] } {
  const reports: [number, string][] = [];
  const text = decodeMarc8(bytesOf(notation), (i, m) => reports.push([i, m]));
  return { text, reports };
}

const samples: Sample[] = JSON.parse(
  readFileSync(new URL("./fixtures/marc8/samples.json", import.meta.url), "utf8"),
).samples;

describe("decodeMarc8: samples of every character set", () => {
  it.each(samples)("$what", ({ marc8, text }) => {
    const got = decodeWithReports(marc8);
    expect(got.text).toBe(text);
    expect(got.reports).toEqual([]);
  });
});

describe("decodeMarc8: plain ASCII and state", () => {
  it("returns ASCII unchanged, controls and delimiters included", () => {
    const ascii = "  \u001faTitle /\u001fcMe.\t~";
    expect(decodeMarc8(new TextEncoder().encode(ascii))).toBe(ascii);
    expect(decodeMarc8(new Uint8Array(0))).toBe("");
  });

  it("starts every field with G0 = ASCII and G1 = ANSEL", () => {
    expect(decodeMarc8(bytesOf("{ESC}(NmOSKWA{ESC})Q{E4}"))).toBe("МоскваЁ");
    expect(decodeMarc8(bytesOf("mOSKWA{E4}e"))).toBe("mOSKWAẽ");
  });

  it("returns NFC", () => {
    const text = decodeMarc8(bytesOf("{E5}{F2}a {E3}{F2}e"));
    expect(text).toBe(text.normalize("NFC"));
    expect(text).toBe("\u1ea1\u0304 \u1ec7");
  });
});

describe("decodeMarc8: bad input is replaced and reported, never thrown", () => {
  const cases: [string, string, string, [number, RegExp][]][] = [
    ["byte 0xFF", "ab{FF}cd", "ab\ufffdcd", [[2, /0xFF/]]],
    ["C1 byte MARC-8 does not define", "a{80}", "a\ufffd", [[1, /0x80/]]],
    ["code missing from ANSEL", "x{AF}y", "x\ufffdy", [[1, /0xAF not defined in Extended Latin \(ANSEL\)/]]],
    ["code missing from Basic Greek", "{ESC}(SA,B", "Α\ufffdΒ", [[4, /0x2C not defined in Basic Greek/]]],
    ["ESC at the end", "ab{ESC}", "ab\ufffd", [[2, /incomplete escape sequence/]]],
    ["ESC $ at the end", "{ESC}$", "\ufffd", [[0, /incomplete escape sequence/]]],
    ["ESC $ ) cut by a delimiter", "{ESC}$){1F}ax", "\ufffd\u001fax", [[0, /incomplete escape sequence/]]],
    ["unknown final byte", "{ESC}(Zx", "\ufffdx", [[0, /unknown character set 'Z'/]]],
    ["unknown two-byte escape", "{ESC}Qx", "\ufffdx", [[0, /unknown escape sequence/]]],
    ["EACC character cut at the end", "{ESC}$1!0", "\ufffd", [[3, /incomplete 3-byte/]]],
    [
      "EACC character cut by a delimiter",
      "{ESC}$1!0{1F}a{ESC}$1!0>",
      "\ufffd\u001fa尹",
      [[3, /incomplete 3-byte/]],
    ],
    ["EACC code not in the table", "{ESC}$1zzz{ESC}(B!", "\ufffd!", [[3, /0x7A7A7A not defined in Chinese/]]],
    [
      "mark with no base at the end",
      "abc{E2}",
      "abc\u0301".normalize("NFC"),
      [[3, /combining mark without base/]],
    ],
    ["mark with no base before a delimiter", "a{E2}{1F}bc", "á\u001fbc", [[1, /before subfield delimiter/]]],
  ];
  it.each(cases)("%s", (_what, marc8, text, expected) => {
    const got = decodeWithReports(marc8);
    expect(got.text).toBe(text);
    expect(got.reports).toHaveLength(expected.length);
    got.reports.forEach(([index, message], k) => {
      expect(index).toBe(expected[k]![0]);
      expect(message).toMatch(expected[k]![1]);
    });
  });

  it("keeps the designation after a bad escape", () => {
    expect(decodeMarc8(bytesOf("{ESC}(NmO{ESC}(ZmO"), () => {})).toBe("Мо\ufffdМо");
  });

  it("works without a report callback", () => {
    expect(decodeMarc8(bytesOf("{FF}{ESC}$"))).toBe("\ufffd\ufffd");
  });

  it("property: any bytes decode to NFC text; every U+FFFD is reported at an index inside the field", () => {
    const interesting = fc.constantFrom(
      0x1b,
      0x1f,
      0x20,
      0x24,
      0x28,
      0x29,
      0x2c,
      0x2d,
      0x31,
      0x21,
      0xe2,
      0xeb,
      0xa1,
    );
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), interesting);
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 80 }), (arr) => {
        const bytes = Uint8Array.from(arr);
        const reports: number[] = [];
        const text = decodeMarc8(bytes, (i) => reports.push(i));
        expect(text).toBe(text.normalize("NFC"));
        const replacements = [...text].filter((c) => c === "\ufffd").length;
        expect(reports.length).toBeGreaterThanOrEqual(replacements);
        for (const i of reports) expect(i >= 0 && i < bytes.length).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

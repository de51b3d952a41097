import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readFile } from "../src/marc/index.js";
import { controlField, createRecord, dataField, type Field } from "../src/marc/record.js";
import { type ValidationIssue, validate } from "../src/marc/validate/index.js";
import { CORPUS } from "./fixtures/paths.js";

/** The codes of the fixed-field checks (BAD_008_LENGTH is older, but it belongs to the same fields). */
const FIXED = /^BAD_00[678]_(CODE|LENGTH|FORM|CATEGORY)$/;

/** A record with Leader/06-07 `type`, the given control fields and a 245. */
function issuesOf(type: string, fields: Field[]): [string, string, string][] {
  const leader = `01234n${type} a2200289 a 4500`;
  const record = createRecord({
    leader,
    fields: [...fields, dataField("245", "0", "0", [["a", "Title."]])],
  });
  return validate(record)
    .filter((i) => FIXED.test(i.code))
    .map((i: ValidationIssue) => [i.severity, i.code, i.message]);
}

/** An 008 whose positions 18-34 are blank except those given (keyed by 008 position). */
function f008(at: Record<number, string>): Field {
  const chars = [..." ".repeat(17)];
  for (const [pos, value] of Object.entries(at)) {
    for (let i = 0; i < value.length; i++) chars[Number(pos) - 18 + i] = value[i];
  }
  const material = chars.join("");
  if (material.length !== 17) throw new Error(`008/18-34 overflows: ${JSON.stringify(material)}`);
  return controlField("008", `240131s2024    nyu${material}eng d`);
}

const warn = (code: string, message: string): [string, string, string] => ["warning", code, message];
const err = (code: string, message: string): [string, string, string] => ["error", code, message];

const BOOK_FORM = "expected one of blank, a, b, c, d, f, o, q, r, s, |";
const MAP_PROJECTIONS =
  '"  ", aa, ab, ac, ad, ae, af, ag, am, an, ap, au, az, ba, bb, bc, bd, be, bf, bg, bh, bi, bj, bk, bl, bo, ' +
  "br, bs, bu, bz, ca, cb, cc, ce, cp, cu, cz, da, db, dc, dd, de, df, dg, dh, dl, zz, ||";

describe("008/18-34 by material (Leader/06-07)", () => {
  it.each<[string, string, Record<number, string>, [string, string, string][]]>([
    ["books", "am", { 18: "ab  ", 22: "j", 24: "b   ", 29: "0", 30: "0", 31: "1", 33: "1", 34: "d" }, []],
    ["books, all fill characters", "am", { 18: "|".repeat(17) }, []],
    [
      "books, form of item",
      "am",
      { 23: "x", 29: "0", 30: "0", 31: "0", 33: "0" },
      [warn("BAD_008_CODE", `field 008/23 (form of item) is "x"; ${BOOK_FORM}`)],
    ],
    [
      "books, one bad character of illustrations",
      "am",
      { 18: "ax  ", 29: "0", 30: "0", 31: "0", 33: "0" },
      [
        warn(
          "BAD_008_CODE",
          'field 008/18-21 (illustrations) is "ax  "; expected each character one of blank, a, b, c, d, e, f, g, h, i, j, k, l, m, o, p, |',
        ),
      ],
    ],
    [
      "books, blank conference publication",
      "am",
      { 30: "0", 31: "0", 33: "0" },
      [warn("BAD_008_CODE", "field 008/29 (conference publication) is blank; expected one of 0, 1, |")],
    ],
    ["serial", "as", { 18: "m", 19: "r", 21: "p", 29: "0", 34: "0" }, []],
    [
      "integrating resource (Leader/07 i)",
      "ai",
      { 18: "k", 19: "x", 21: "w", 23: "o", 29: "0", 34: "2" },
      [],
    ],
    [
      "serial, regularity",
      "as",
      { 18: "m", 19: "q", 21: "p", 29: "0", 34: "0" },
      [warn("BAD_008_CODE", 'field 008/19 (regularity) is "q"; expected one of n, r, u, x, |')],
    ],
    [
      "a serial's 008 in a book (Leader/07 m)",
      "am",
      { 18: "mr p", 29: "0", 30: "0", 31: "0", 33: "0" },
      [
        warn(
          "BAD_008_CODE",
          'field 008/18-21 (illustrations) is "mr p"; expected each character one of blank, a, b, c, d, e, f, g, h, i, j, k, l, m, o, p, |',
        ),
      ],
    ],
    ["map", "em", { 18: "a   ", 25: "a", 31: "0", 33: "e " }, []],
    [
      "map, projection and type",
      "em",
      { 18: "a   ", 22: "qq", 25: "x", 31: "0" },
      [
        warn("BAD_008_CODE", `field 008/22-23 (projection) is "qq"; expected one of ${MAP_PROJECTIONS}`),
        warn(
          "BAD_008_CODE",
          'field 008/25 (type of cartographic material) is "x"; expected one of a, b, c, d, e, f, g, u, z, |',
        ),
      ],
    ],
    [
      "manuscript map (Leader/06 f), undefined 008/24",
      "fm",
      { 18: "a   ", 24: "a", 25: "a", 31: "0" },
      [warn("BAD_008_CODE", 'field 008/24 (undefined) is "a"; expected one of blank, |')],
    ],
    ["music score", "cm", { 18: "sy", 20: "a", 21: "n", 24: "a     ", 30: "  ", 33: "n" }, []],
    [
      "sound recording (Leader/06 j), format and accompanying matter",
      "jm",
      {
        18: "sy",
        20: "x",
        21: "n",
        24: "ax    ",
        33: "n",
      },
      [
        warn(
          "BAD_008_CODE",
          'field 008/20 (format of music) is "x"; expected one of a, b, c, d, e, g, h, i, j, k, l, m, n, p, u, z, |',
        ),
        warn(
          "BAD_008_CODE",
          'field 008/24-29 (accompanying matter) is "ax    "; expected each character one of blank, a, b, c, d, e, f, g, h, i, k, r, s, z, |',
        ),
      ],
    ],
    ["video", "gm", { 18: "120", 29: "o", 33: "v", 34: "l" }, []],
    ["video, unknown running time", "gm", { 18: "---", 33: "v", 34: "l" }, []],
    [
      "video, running time and technique",
      "gm",
      { 18: "1a0", 33: "v", 34: "x" },
      [
        warn(
          "BAD_008_CODE",
          'field 008/18-20 (running time for motion pictures and videorecordings) is "1a0"; expected one of 001-999, ---, 000, nnn, |||',
        ),
        warn("BAD_008_CODE", 'field 008/34 (technique) is "x"; expected one of a, c, l, n, u, z, |'),
      ],
    ],
    ["computer file", "mm", { 23: "o", 26: "d" }, []],
    [
      "computer file, type and undefined",
      "mm",
      { 18: "a", 23: "o", 26: "x" },
      [
        warn(
          "BAD_008_CODE",
          'field 008/18-21 (undefined) is "a   "; expected each character one of blank, |',
        ),
        warn(
          "BAD_008_CODE",
          'field 008/26 (type of computer file) is "x"; expected one of a, b, c, d, e, f, g, h, i, j, m, u, z, |',
        ),
      ],
    ],
    [
      "mixed materials",
      "pc",
      { 23: "x" },
      [warn("BAD_008_CODE", `field 008/23 (form of item) is "x"; ${BOOK_FORM}`)],
    ],
  ])("%s", (_name, type, at, expected) => {
    expect(issuesOf(type, [f008(at)])).toEqual(expected);
  });

  it("leaves 008/18-34 alone when Leader/06 names no material", () => {
    expect(issuesOf(" m", [f008({ 18: "xxxxxxxxxxxxxxxxx" })])).toEqual([]);
  });

  it("checks the positions a short 008 still has, after its length error", () => {
    const short = controlField("008", "240131s2024    nyu      x    000 1 eng");
    expect(issuesOf("am", [short])).toEqual([
      err("BAD_008_LENGTH", "field 008 is 38 characters long; it must be 40"),
      warn(
        "BAD_008_CODE",
        `field 008/24-27 (nature of contents) is "x   "; expected each character one of blank, 2, 5, 6, a, b, c, d, e, f, g, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, y, z, |`,
      ),
    ]);
  });
});

describe("006 by form of material (006/00)", () => {
  const F008 = f008({ 29: "0", 30: "0", 31: "0", 33: "0" });

  it.each<[string, string[], [string, string, string][]]>([
    ["computer file", ["m     o  c        "], []],
    ["serial", ["smr p o     0    0"], []],
    ["books, all fill", [`a${"|".repeat(17)}`], []],
    ["music", ["jsyan                 ".slice(0, 18)], []],
    [
      "serial, regularity",
      ["smq p o     0    0"],
      [warn("BAD_006_CODE", 'field 006/02 (regularity) is "q"; expected one of n, r, u, x, |')],
    ],
    [
      "books, second occurrence",
      ["m     o  c        ", "a     x     000 0 "],
      [warn("BAD_006_CODE", `field 006 #2/06 (form of item) is "x"; ${BOOK_FORM}`)],
    ],
    [
      "visual, running time",
      ["gabc                 ".slice(0, 18)],
      [
        warn(
          "BAD_006_CODE",
          'field 006/01-03 (running time for motion pictures and videorecordings) is "abc"; expected one of 001-999, ---, 000, nnn, |||',
        ),
        warn(
          "BAD_006_CODE",
          "field 006/16 (type of visual material) is blank; expected one of a, b, c, d, f, g, i, k, l, m, n, o, p, q, r, s, t, v, w, z, |",
        ),
        warn("BAD_006_CODE", "field 006/17 (technique) is blank; expected one of a, c, l, n, u, z, |"),
      ],
    ],
    [
      "short: an error, and the positions it has are checked",
      ["m        x"],
      [
        warn("BAD_006_LENGTH", "field 006 is 10 characters long; it must be 18"),
        warn(
          "BAD_006_CODE",
          'field 006/09 (type of computer file) is "x"; expected one of a, b, c, d, e, f, g, h, i, j, m, u, z, |',
        ),
      ],
    ],
    [
      "unknown form",
      ["y                 "],
      [
        err(
          "BAD_006_FORM",
          'field 006/00 (form of material) is "y"; expected one of a, c, d, e, f, g, i, j, k, m, o, p, r, s, t',
        ),
      ],
    ],
    [
      "empty",
      [""],
      [
        warn("BAD_006_LENGTH", "field 006 is 0 characters long; it must be 18"),
        err(
          "BAD_006_FORM",
          'field 006/00 (form of material) is ""; expected one of a, c, d, e, f, g, i, j, k, m, o, p, r, s, t',
        ),
      ],
    ],
  ])("%s", (_name, values, expected) => {
    expect(issuesOf("am", [...values.map((v) => controlField("006", v)), F008])).toEqual(expected);
  });
});

describe("007 by category of material (007/00)", () => {
  const F008 = f008({ 23: "o", 26: "d" });

  it.each<[string, string[], [string, string, string][]]>([
    ["electronic resource", ["cr una---unuuu"], []],
    ["electronic resource, 8-bit", ["cr cga008muuuu"], []],
    ["electronic resource without its optional 06-13", ["cr cn "], []],
    ["electronic resource, all fill", ["c|||||||||||||"], []],
    ["videorecording", ["vd cvaizq"], []],
    ["sound recording", ["sd fsngnnmmned"], []],
    ["microform (06-08 reduction ratio not checked)", ["he amb025bbcp"], []],
    ["remote-sensing image", ["ru aa5aaaaa"], []],
    ["text", ["ta"], []],
    [
      "electronic resource, image bit depth",
      ["cr una000unuuu"],
      [
        warn(
          "BAD_007_CODE",
          'field 007/06-08 (image bit depth) is "000"; expected one of 001-999, ---, mmm, nnn, |||',
        ),
      ],
    ],
    [
      "sound recording, capture technique",
      ["sd fsngnnmmnex"],
      [
        warn(
          "BAD_007_CODE",
          'field 007/13 (original capture and storage technique) is "x"; expected one of a, b, d, e, u, z, |',
        ),
      ],
    ],
    [
      "remote-sensing image, data type",
      ["ru aa5aaaqq"],
      [
        warn(
          "BAD_007_CODE",
          expect.stringMatching(/^field 007\/09-10 \(data type\) is "qq"; expected one of aa, da, /),
        ),
      ],
    ],
    [
      "map, second occurrence",
      ["cr una---unuuu", "aj chnzn"],
      [
        warn(
          "BAD_007_CODE",
          'field 007 #2/04 (physical medium) is "h"; expected one of a, b, c, d, e, f, g, i, j, l, n, p, q, r, s, t, u, v, w, x, y, z, |',
        ),
      ],
    ],
    [
      "non-ASCII code",
      ["cr una---unuu\u00e9"],
      [
        warn(
          "BAD_007_CODE",
          'field 007/13 (reformatting quality) is "\u00e9"; expected one of a, n, p, r, u, |',
        ),
      ],
    ],
    [
      "too short for its category",
      ["s"],
      [warn("BAD_007_LENGTH", "field 007 (sound recording) is 1 character long; it must be at least 14")],
    ],
    [
      "too short, and a bad code in what there is",
      ["vfubbaho"],
      [
        warn("BAD_007_LENGTH", "field 007 (videorecording) is 8 characters long; it must be at least 9"),
        warn("BAD_007_CODE", 'field 007/02 (undefined) is "u"; expected one of blank, |'),
      ],
    ],
    [
      "unknown category",
      ["yz"],
      [
        err(
          "BAD_007_CATEGORY",
          'field 007/00 (category of material) is "y"; expected one of a, c, d, f, g, h, k, m, o, q, r, s, t, v, z',
        ),
      ],
    ],
    [
      "empty",
      [""],
      [
        err(
          "BAD_007_CATEGORY",
          'field 007/00 (category of material) is ""; expected one of a, c, d, f, g, h, k, m, o, q, r, s, t, v, z',
        ),
      ],
    ],
  ])("%s", (_name, values, expected) => {
    expect(issuesOf("mm", [...values.map((v) => controlField("007", v)), F008])).toEqual(expected);
  });
});

/**
 * Errors per corpus file before the fixed-field checks existed (measured on the commit before them). The new
 * checks may add only their structural errors, listed in NEW_ERRORS; codes are warnings.
 */
const ERRORS_BEFORE: Record<string, number> = {
  "008008027.mrc": 38,
  "065001035.mrc": 80,
  "bad_leaders_10_11.mrc": 7,
  "bad_too_long_plus_2.mrc": 3,
  "brkrtest.mrc": 10,
  "brkrtest_UTF8.mrc": 10,
  "chabon-loc.mrc": 0,
  "chabon.mrc": 0,
  "chinese_mangled_multibyte.mrc": 1,
  "cyrillic_capital_e.mrc": 4,
  "greekmissingcharsetchange.mrc": 0,
  "incomplete_esc_seq.mrc": 35,
  "kan1222221.mrc": 0,
  "loongboonmee.mrc": 0,
  "oclc_63111280_export_as_UTF8_from_connexion.mrc": 0,
  "pride-and-prejudice-fixed.mrc": 1283,
  "pride-and-prejudice-with-many-errors.mrc": 1327,
  "sample1.mrc": 7,
  "selectedRecs.mrc": 15,
  "summerland.mrc": 0,
  "u17_utf8.mrc": 2,
};
/** (Warnings) 006s cut to 10 characters and 007s of 1 ("s") and 8 ("vfubbaho") characters in the Pride and Prejudice files. */
const NEW_ERRORS: Record<string, Record<string, number>> = {
  "pride-and-prejudice-fixed.mrc": { BAD_006_LENGTH: 10, BAD_007_LENGTH: 2 },
  "pride-and-prejudice-with-many-errors.mrc": { BAD_006_LENGTH: 10, BAD_007_LENGTH: 2 },
};
const STRUCTURAL = new Set(["BAD_006_LENGTH", "BAD_006_FORM", "BAD_007_CATEGORY", "BAD_007_LENGTH"]);

describe("fixed fields on the MARC corpus", () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".mrc"));

  it("knows every corpus file", () => {
    expect(files.sort()).toEqual(Object.keys(ERRORS_BEFORE).sort());
  });

  it.each(files)(
    "%s: no more errors than before; the structural problems found are these; codes are warnings",
    async (name) => {
      let errors = 0;
      const structural: Record<string, number> = {};
      for await (const item of readFile(join(CORPUS, name))) {
        for (const i of validate(item.record)) {
          if (/^BAD_00[678]_CODE$/.test(i.code)) {
            expect(i.severity).toBe("warning");
          }
          if (STRUCTURAL.has(i.code)) structural[i.code] = (structural[i.code] ?? 0) + 1;
          else if (i.severity === "error") errors++;
        }
      }
      expect(errors).toBe(ERRORS_BEFORE[name]);
      expect(structural).toEqual(NEW_ERRORS[name] ?? {});
    },
  );
});

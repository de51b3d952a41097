import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readIso2709 } from "../src/marc/iso2709-reader.js";
import { VALIDATION_PROFILES, type ValidationIssue, validate } from "../src/marc/validate/index.js";
import { CORPUS } from "./fixtures/paths.js";

const expected = JSON.parse(
  readFileSync(
    new URL("./fixtures/validate/pride-and-prejudice-with-many-errors.expected.json", import.meta.url),
    "utf8",
  ),
) as {
  file: string;
  fixedFile: string;
  records: number;
  expected: (Partial<ValidationIssue> & { record: number })[];
  onlyInBroken: string[];
};

/** Every record of a corpus file with its structure issues. */
async function validateFile(name: string): Promise<{ recordNumber: number; issues: ValidationIssue[] }[]> {
  const out = [];
  for await (const item of readIso2709(createReadStream(join(CORPUS, name)))) {
    out.push({ recordNumber: item.recordNumber, issues: validate(item.record) });
  }
  return out;
}

const codesOf = (results: { issues: ValidationIssue[] }[]) =>
  new Set(results.flatMap((r) => r.issues.map((i) => i.code)));

describe("validate on the MARC corpus", () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".mrc"));

  it.each(files)("validates every record of %s under every profile without crashing", async (name) => {
    let records = 0;
    for await (const item of readIso2709(createReadStream(join(CORPUS, name)))) {
      records++;
      for (const profile of VALIDATION_PROFILES) {
        for (const i of validate(item.record, profile)) {
          expect(["error", "warning"]).toContain(i.severity);
          expect(i.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that messages carry none
          expect(i.message).not.toMatch(/[\u0000-\u001f]/);
          if (i.occurrence !== undefined) expect(i.occurrence).toBeGreaterThanOrEqual(1);
        }
      }
    }
    expect(records).toBeGreaterThan(0);
  });

  it.each(["chabon.mrc", "chabon-loc.mrc", "summerland.mrc", "kan1222221.mrc", "loongboonmee.mrc"])(
    "finds no issue in the well-formed records of %s",
    async (name) => {
      for (const r of await validateFile(name)) expect(r.issues).toEqual([]);
    },
  );

  it("reports the errors injected into pride-and-prejudice-with-many-errors.mrc", async () => {
    const broken = await validateFile(expected.file);
    expect(broken).toHaveLength(expected.records);
    expect(broken.some((r) => r.issues.some((i) => i.severity === "error"))).toBe(true);
    for (const { record, ...issue } of expected.expected) {
      expect(broken[record - 1].issues, `record ${record}`).toContainEqual(expect.objectContaining(issue));
    }
    const fixed = codesOf(await validateFile(expected.fixedFile));
    const brokenCodes = codesOf(broken);
    for (const code of expected.onlyInBroken) {
      expect(brokenCodes.has(code), code).toBe(true);
      expect(fixed.has(code), code).toBe(false);
    }
  });

  it("judges a Connexion export per profile: clean, usable for holdings, 001 not bare for replace", async () => {
    const codes: Record<string, string[]> = {};
    for await (const item of readIso2709(
      createReadStream(join(CORPUS, "oclc_63111280_export_as_UTF8_from_connexion.mrc")),
    )) {
      for (const p of VALIDATION_PROFILES)
        codes[p] = validate(item.record, p).map((i) => `${i.severity} ${i.code}`);
    }
    // A bibliographic record is no holdings record: the lhr profile refuses it.
    const lhr = codes.lhr;
    delete codes.lhr;
    expect(lhr.filter((c) => c.startsWith("error"))).toEqual([
      "error NOT_HOLDINGS",
      "error MISSING_004",
      "error BAD_008_LENGTH",
      "error MISSING_852",
    ]);
    expect(codes).toEqual({
      structure: [],
      holdings: [],
      create: ["warning HAS_OCLC_NUMBER"],
      replace: ["error BAD_001"],
      lbd: ["error MISSING_004", "error MISSING_935", "error MISSING_940"],
    });
  });
});

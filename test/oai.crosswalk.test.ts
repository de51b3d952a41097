import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recordToMrk, validate } from "../src/marc/index.js";
import { createOaiClient } from "../src/oai/client.js";
import { crosswalk, cut } from "../src/oai/crosswalk.js";
import { toItem } from "../src/oai/formats/index.js";
import { createHarvester } from "../src/oai/harvester.js";
import { emptyDraft, type RepositoryItem } from "../src/oai/item.js";
import { nonFiling } from "../src/oai/non-filing.js";
import { BUILT_IN_PROFILE, loadProfile, ProfileError, parseProfile } from "../src/oai/profile.js";
import { fixtureRepository, OAI_FIXTURES } from "./fixtures/oai/server.js";

const today = new Date("2026-12-01T10:00:00Z");
const mrk = (item: RepositoryItem, profile: Awaited<ReturnType<typeof loadProfile>>) =>
  recordToMrk(crosswalk(item, profile, { symbol: "OCPSB", today }))
    .trimEnd()
    .split("\r\n");

async function dimItem(): Promise<RepositoryItem> {
  const repo = await fixtureRepository(() => "dspace7-dim.xml");
  try {
    const h = createHarvester(createOaiClient({ baseUrl: repo.url }));
    const { record } = await h.getRecord("oai:repository.example.edu:1234/5678", "dim");
    return toItem(record, "dim");
  } finally {
    await repo.close();
  }
}

describe("thesis crosswalk", () => {
  it("a DSpace dim item: every field of the thesis profile", async () => {
    const profile = await loadProfile();
    expect(mrk(await dimItem(), profile)).toEqual([
      "=LDR  00000nam a2200000Ki 4500",
      "=008  261201s2026\\\\\\\\xx\\\\\\\\\\\\om\\\\\\\\000\\0\\eng\\d",
      "=035  \\\\$a(OAI)oai:repository.example.edu:1234/5678",
      "=040  \\\\$aOCPSB$beng$erda$cOCPSB",
      "=100  1\\$aLindqvist, Maja,$eauthor.",
      "=245  14$aThe effects of urban heat islands on nesting swifts /$cMaja Lindqvist.",
      "=264  \\1$a[Place of publication not identified] :$bNightshift Demo University,$c2026.",
      "=300  \\\\$a1 online resource (x, 182 pages)",
      "=336  \\\\$atext$btxt$2rdacontent",
      "=337  \\\\$acomputer$bc$2rdamedia",
      "=338  \\\\$aonline resource$bcr$2rdacarrier",
      "=502  \\\\$bPh. D.$cExample University. Department of Biology$d2026",
      "=520  3\\$aSwifts nest in buildings.",
      "=650  \\0$aSwifts$xBreeding",
      "=653  \\\\$aheat islands",
      "=655  \\7$aAcademic theses.$2lcgft",
      "=700  1\\$aBaptiste, Henri,$ethesis advisor.",
      "=700  1\\$aOsei, Kwame",
      "=856  40$uhttps://hdl.handle.net/1234/5678",
      "=856  40$uhttps://doi.org/10.5555/example.5678",
    ]);
  });

  it("the record passes src/marc's create profile without errors", async () => {
    const record = crosswalk(await dimItem(), await loadProfile(), { symbol: "OCPSB", today });
    expect(validate(record, "create").filter((i) => i.severity === "error")).toEqual([]);
  });

  it("oai_dc: unqualified contributors are advisors by the profile; degree from the set; language table", async () => {
    const profile = await loadProfile();
    const item: RepositoryItem = {
      ...emptyDraft("oai:repository.example.edu:123456789/1003", "2026-01-06", ["col_123456789_3"], "oai_dc"),
      titles: ["Les enjeux de green roofs : a study (3)"],
      creators: ["Smith, Emily"],
      unqualifiedContributors: ["Kowalski, Siobhán"],
      subjects: [{ value: "Urban hydrology" }],
      dates: ["2026-01-06T09:00:00Z", "2021-04"],
      languages: ["fr"],
      identifiers: ["https://repository.example.edu/handle/123456789/1003"],
      publishers: ["Nightshift Demo University"],
    };
    const lines = mrk(item, profile);
    expect(lines.find((l) => l.startsWith("=245"))).toBe(
      "=245  14$aLes enjeux de green roofs :$ba study (3) /$cEmily Smith.",
    );
    expect(lines.find((l) => l.startsWith("=008"))?.slice(41, 44)).toBe("fre");
    expect(lines.find((l) => l.startsWith("=502"))).toBe(
      "=502  \\\\$bM.S.$cNightshift Demo University$d2026",
    );
    expect(lines.filter((l) => l.startsWith("=700"))).toEqual([
      "=700  1\\$aKowalski, Siobhán,$ethesis advisor.",
    ]);
    const asContributors = parseProfile(
      readFileSync(BUILT_IN_PROFILE, "utf8").replace("contributors: advisor", "contributors: contributor"),
      "x.yaml",
    );
    expect(mrk(item, asContributors).filter((l) => l.startsWith("=700"))).toEqual([
      "=700  1\\$aKowalski, Siobhán",
    ]);
  });

  it("non-filing characters for English, French, German and Spanish articles", () => {
    expect(nonFiling("The effects", ["the", "a", "an"])).toBe(4);
    expect(nonFiling("An ecology", ["the", "a", "an"])).toBe(3);
    expect(nonFiling("Another ecology", ["the", "a", "an"])).toBe(0);
    expect(nonFiling('"A" is for apple', ["the", "a", "an"])).toBe(0);
    expect(nonFiling('"The" problem', ["the", "a", "an"])).toBe(0);
    expect(nonFiling('"The problem"', ["the", "a", "an"])).toBe(5);
    expect(nonFiling("L'école des ports", ["le", "la", "les", "l'"])).toBe(2);
    expect(nonFiling("L’école", ["l'"])).toBe(2);
    expect(nonFiling("Les enjeux", ["le", "la", "les", "l'"])).toBe(4);
    expect(nonFiling("Die Bedeutung", ["der", "die", "das"])).toBe(4);
    expect(nonFiling("Los puertos", ["el", "la", "los", "las"])).toBe(4);
    expect(nonFiling("El puerto", ["el", "la", "los", "las"])).toBe(3);
  });

  it("520 is cut at a sentence end, else a word", () => {
    expect(cut("One. Two three. Four five six.", 20)).toBe("One. Two three.");
    expect(cut("abcdefghij klmnopqrstuvwxyz abc", 20)).toBe("abcdefghij...");
  });
});

describe("profile validation names the line", () => {
  const base = readFileSync(
    join(OAI_FIXTURES, "..", "..", "..", "src", "oai", "profiles", "thesis.yaml"),
    "utf8",
  );
  const problem = (text: string) => {
    try {
      parseProfile(text, "mine.yaml");
    } catch (err) {
      expect(err).toBeInstanceOf(ProfileError);
      return (err as Error).message;
    }
    return "no error";
  };
  it.each([
    [
      'encodingLevel: "K"',
      'encodingLevel: "KK"',
      /^mine\.yaml:7: leader\.encodingLevel: must be one character/,
    ],
    [
      "contributors: advisor",
      "contributors: someone",
      /^mine\.yaml:\d+: contributors: must be advisor, contributor or ignore/,
    ],
    ["  fr: fre\n", "  fr: french\n", /^mine\.yaml:\d+: languages\.fr: must be a three-letter MARC code/],
    [
      '[b, "{degree}"]',
      '[b, "{degre}"]',
      /^mine\.yaml:\d+: fields\.4\.subfields\.0: unknown value \{degre\}/,
    ],
    ['tag: "336"', 'tag: "36"', /^mine\.yaml:\d+: fields\.1\.tag: must be a data field tag/],
    ["version: 1", "version: 1\ncolour: blue", /^mine\.yaml:5: colour: unknown key/],
    [
      "abstractMaxLength: 1500",
      "abstractMaxLength: lots",
      /^mine\.yaml:\d+: abstractMaxLength: must be a whole number/,
    ],
    ["leader:", "leader: [", /^mine\.yaml:\d+: not valid YAML/],
  ])("%s -> %s", (from, to, expected) => {
    expect(base.includes(from)).toBe(true);
    expect(problem(base.replace(from, to))).toMatch(expected);
  });
  it("the line is the key's", () => {
    const text = base.replace("contributors: advisor", "contributors: someone");
    const line = text.split("\n").findIndex((l) => l.startsWith("contributors:")) + 1;
    expect(problem(text)).toMatch(new RegExp(`^mine\\.yaml:${line}: `));
  });
});

/**
 * The MODS and MARCXML readers (issue 11) on responses shaped as DSpace 7/8 sends them (its stock `mods.xsl` and
 * `marc.xsl`: authors without roles or in 720 $e author, identifiers by qualifier, citations among them) and
 * on a MODS-native ETD repository (roles, ETD-MS degree, nonSort, subject authorities), through the harvester
 * and the thesis crosswalk, field by field; every record passes the `create` profile.
 */
import { describe, expect, it } from "vitest";
import { recordToMrk, validate } from "../src/marc/index.js";
import { createOaiClient } from "../src/oai/client.js";
import { crosswalk } from "../src/oai/crosswalk.js";
import { toItem } from "../src/oai/formats/index.js";
import { createHarvester, type HarvestedRecord } from "../src/oai/harvester.js";
import type { RepositoryItem } from "../src/oai/item.js";
import { loadProfile } from "../src/oai/profile.js";
import { fixtureRepository } from "./fixtures/oai/server.js";

const today = new Date("2026-12-01T10:00:00Z");

async function harvest(file: string, prefix: string, identifier?: string): Promise<RepositoryItem[]> {
  const repo = await fixtureRepository(() => file);
  try {
    const h = createHarvester(createOaiClient({ baseUrl: repo.url }));
    const records: HarvestedRecord[] = [];
    if (identifier) records.push((await h.getRecord(identifier, prefix)).record);
    else for await (const r of h.listRecords({ metadataPrefix: prefix }).records()) records.push(r);
    return records.map((r) => toItem(r, prefix));
  } finally {
    await repo.close();
  }
}

async function mrk(item: RepositoryItem): Promise<string[]> {
  const record = crosswalk(item, await loadProfile(), { symbol: "OCPSB", today });
  expect(validate(record, "create").filter((i) => i.severity === "error")).toEqual([]);
  return recordToMrk(record).trimEnd().split("\r\n");
}

describe("MODS", () => {
  it("DSpace's mods: authors without a role, the issue date, the handle (not the citation), topics", async () => {
    const [dspace] = await harvest("dspace7-mods.xml", "mods");
    expect(dspace).toMatchObject({
      identifier: "oai:repository.example.edu:1234/5679",
      sets: ["com_1234_1", "col_1234_77"],
      format: "mods",
      titles: ["Soil carbon under urban trees"],
      creators: ["Okafor, Chidi"],
      advisors: [],
      dates: ["2025-12-15"],
      identifiers: ["https://hdl.handle.net/1234/5679"],
      languages: ["en"],
      subjects: [{ value: "soil carbon" }, { value: "urban forestry" }],
      abstracts: ["Urban trees store carbon in the soil beneath them."],
      rights: ["Attribution 4.0 International"],
      types: ["Thesis"],
    });
    expect(await mrk(dspace)).toEqual([
      "=LDR  00000nam a2200000Ki 4500",
      "=008  261201s2025\\\\\\\\xx\\\\\\\\\\\\om\\\\\\\\000\\0\\eng\\d",
      "=035  \\\\$a(OAI)oai:repository.example.edu:1234/5679",
      "=040  \\\\$aOCPSB$beng$erda$cOCPSB",
      "=100  1\\$aOkafor, Chidi,$eauthor.",
      "=245  10$aSoil carbon under urban trees /$cChidi Okafor.",
      "=264  \\1$a[Place of publication not identified] :$bNightshift Demo University,$c2025.",
      "=300  \\\\$a1 online resource",
      "=336  \\\\$atext$btxt$2rdacontent",
      "=337  \\\\$acomputer$bc$2rdamedia",
      "=338  \\\\$aonline resource$bcr$2rdacarrier",
      "=502  \\\\$cNightshift Demo University$d2025",
      "=520  3\\$aUrban trees store carbon in the soil beneath them.",
      "=540  \\\\$aAttribution 4.0 International",
      "=653  \\\\$asoil carbon",
      "=653  \\\\$aurban forestry",
      "=655  \\7$aAcademic theses.$2lcgft",
      "=856  40$uhttps://hdl.handle.net/1234/5679",
    ]);
  });

  it("a MODS-native ETD: roles, nonSort, subtitle, ETD-MS degree, LCSH topics, DOI and URL", async () => {
    const [, etd] = await harvest("dspace7-mods.xml", "mods");
    expect(etd).toMatchObject({
      identifier: "oai:etd.example.edu:etd-2026-0042",
      titles: ["The river and the city : flood memory in Hamburg, 1962-2022"],
      alternativeTitles: ["Flood memory in Hamburg"],
      creators: ["Weber, Lena"],
      advisors: ["Ruiz, Tomás"],
      contributors: ["Nakamura, Aiko"],
      publishers: ["Example University"],
      dates: ["2026"],
      languages: ["eng"],
      extent: "xii, 240 pages",
      identifiers: ["https://doi.org/10.5555/etd.2026.0042", "https://etd.example.edu/etd-2026-0042"],
      degree: {
        name: "Doctor of Philosophy",
        level: "Doctoral",
        discipline: "History",
        grantor: "Example University",
      },
    });
    expect(etd.subjects).toEqual([
      { value: "Floods", scheme: "lcsh" },
      { value: "Flood control--History", scheme: "lcsh" },
      { value: "collective memory" },
      { value: "Hamburg (Germany)--History", scheme: "lcsh", kind: "geographic" },
      { value: "Schumacher, Fritz,", scheme: "lcsh", kind: "personal" },
      { value: "Hamburg (Germany). Baubehörde", scheme: "lcsh", kind: "corporate" },
    ]);
    expect(await mrk(etd)).toEqual([
      "=LDR  00000nam a2200000Ki 4500",
      "=008  261201s2026\\\\\\\\xx\\\\\\\\\\\\om\\\\\\\\000\\0\\eng\\d",
      "=035  \\\\$a(OAI)oai:etd.example.edu:etd-2026-0042",
      "=040  \\\\$aOCPSB$beng$erda$cOCPSB",
      "=100  1\\$aWeber, Lena,$eauthor.",
      "=245  14$aThe river and the city :$bflood memory in Hamburg, 1962-2022 /$cLena Weber.",
      "=246  33$aFlood memory in Hamburg",
      "=264  \\1$a[Place of publication not identified] :$bExample University,$c2026.",
      "=300  \\\\$a1 online resource (xii, 240 pages)",
      "=336  \\\\$atext$btxt$2rdacontent",
      "=337  \\\\$acomputer$bc$2rdamedia",
      "=338  \\\\$aonline resource$bcr$2rdacarrier",
      "=502  \\\\$bPh. D.$cExample University$d2026",
      "=520  3\\$aHow a city remembers its floods.",
      "=600  10$aSchumacher, Fritz,",
      "=610  20$aHamburg (Germany). Baubehörde",
      "=650  \\0$aFloods",
      "=650  \\0$aFlood control$xHistory",
      "=651  \\0$aHamburg (Germany)$xHistory",
      "=653  \\\\$acollective memory",
      "=655  \\7$aAcademic theses.$2lcgft",
      "=700  1\\$aRuiz, Tomás,$ethesis advisor.",
      "=700  1\\$aNakamura, Aiko",
      "=856  40$uhttps://doi.org/10.5555/etd.2026.0042",
    ]);
  });
});

describe("MARCXML", () => {
  it("DSpace's marc: 720 authors, 260 $c, 024 8_ handle (not the citation), 653 keywords", async () => {
    const [item] = await harvest("dspace8-marc.xml", "marc", "oai:repository.example.edu:1234/5680");
    expect(item).toMatchObject({
      identifier: "oai:repository.example.edu:1234/5680",
      format: "marc",
      titles: ["Wild bees of urban parks"],
      creators: ["Haddad, Rania", "Moreau, Luc"],
      dates: ["2026-05"],
      identifiers: ["https://hdl.handle.net/1234/5680"],
      abstracts: ["Bees in city parks."],
      subjects: [{ value: "pollinators" }, { value: "urban ecology" }],
    });
    // No language in DSpace's marc: 008/35-37 `und`; the profile's university stands in for the grantor.
    expect(await mrk(item)).toEqual([
      "=LDR  00000nam a2200000Ki 4500",
      "=008  261201s2026\\\\\\\\xx\\\\\\\\\\\\om\\\\\\\\000\\0\\und\\d",
      "=035  \\\\$a(OAI)oai:repository.example.edu:1234/5680",
      "=040  \\\\$aOCPSB$beng$erda$cOCPSB",
      "=100  1\\$aHaddad, Rania,$eauthor.",
      "=245  10$aWild bees of urban parks /$cRania Haddad.",
      "=264  \\1$a[Place of publication not identified] :$bNightshift Demo University,$c2026.",
      "=300  \\\\$a1 online resource",
      "=336  \\\\$atext$btxt$2rdacontent",
      "=337  \\\\$acomputer$bc$2rdamedia",
      "=338  \\\\$aonline resource$bcr$2rdacarrier",
      "=502  \\\\$cNightshift Demo University$d2026",
      "=520  3\\$aBees in city parks.",
      "=653  \\\\$apollinators",
      "=653  \\\\$aurban ecology",
      "=655  \\7$aAcademic theses.$2lcgft",
      "=700  1\\$aMoreau, Luc,$eauthor.",
      "=856  40$uhttps://hdl.handle.net/1234/5680",
    ]);
  });
});

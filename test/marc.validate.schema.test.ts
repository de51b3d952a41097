import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { marcRules, SUBFIELD_NON_REPEATABLE, SUBFIELD_REPEATABLE } from "../src/marc/validate/schema.js";
import { MARC_SCHEMA_JSON } from "./fixtures/paths.js";

const SOURCE = MARC_SCHEMA_JSON;
const GENERATED = new URL("../src/marc/validate/generated/schema.json", import.meta.url);

describe("compact MARC 21 schema", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("is what scripts/generate-marc-schema.ts makes from the reference schema", async () => {
    const dir = await mkdtemp(join(tmpdir(), "marc-schema-"));
    dirs.push(dir);
    const out = join(dir, "schema.json");
    await promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      "scripts/generate-marc-schema.ts",
      SOURCE,
      out,
    ]);
    expect(await readFile(out, "utf8")).toBe(await readFile(GENERATED, "utf8"));
  });

  it("compiles to lookups with the schema's values", () => {
    const rules = marcRules();
    expect(marcRules()).toBe(rules);
    const t245 = rules.tags.get("245")!;
    expect(t245.repeatable).toBe(false);
    expect(t245.ind1).toBe("01");
    expect(t245.ind2).toBe("0123456789");
    expect(t245.subfields!["a".charCodeAt(0)]).toBe(SUBFIELD_NON_REPEATABLE);
    expect(t245.subfields!["n".charCodeAt(0)]).toBe(SUBFIELD_REPEATABLE);
    expect(rules.tags.get("650")!.repeatable).toBe(true);
    expect(rules.tags.get("880")!.subfields).toBeNull();
    expect(rules.tags.get("008")).toMatchObject({ repeatable: false, subfields: null });
    expect(rules.tags.get("007")!.repeatable).toBe(true);
    expect(rules.tags.has("999")).toBe(false);
    expect(rules.leader.get(6)).toContain("a");
    expect(rules.dateTypes008).toContain("s");
  });
});

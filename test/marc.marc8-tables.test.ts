/** The generated MARC-8 tables: reproducible from the LoC XML, complete, and loaded only when selected. */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { charsetFor, loadedCharsets } from "../src/marc/marc8/charset-table.js";
import { decodeMarc8 } from "../src/marc/marc8/decode.js";
import { MARC8_XML } from "./fixtures/paths.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const XML = MARC8_XML;
const GENERATED = join(ROOT, "src/marc/marc8/generated");
const EACC = "Chinese, Japanese, Korean (EACC)";

describe("MARC-8 tables", () => {
  // First test in the file: nothing else in this worker has decoded CJK yet.
  it("loads the EACC table only when an escape selects it", () => {
    expect(decodeMarc8(Uint8Array.from([0x65, 0xe2, 0x65]))).toBe("eé");
    expect(loadedCharsets()).not.toContain(EACC);
    expect(decodeMarc8(Uint8Array.from([0x1b, 0x24, 0x31, 0x21, 0x30, 0x21]))).toBe("一");
    expect(loadedCharsets()).toContain(EACC);
  });

  it("hold every code of the LoC XML", () => {
    const xml = readFileSync(XML, "utf8");
    const inXml = (xml.match(/<code>/g) ?? []).length;
    const finals = [0x42, 0x45, 0x67, 0x62, 0x70, 0x32, 0x4e, 0x51, 0x33, 0x34, 0x53, 0x31];
    const inTables = finals.reduce((n, f) => n + charsetFor(f)!.chars.size, 0);
    // ASCII 0x1B, 0x1D-0x20 and ANSEL 0x88, 0x89, 0x8D, 0x8E are controls handled outside the tables.
    expect(inTables).toBe(inXml - 9);
    expect(charsetFor(0x31)!.chars.size).toBe(15739);
    expect(charsetFor(0x5a)).toBeUndefined();
  });

  const out = mkdtempSync(join(tmpdir(), "marc8-tables-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("are what scripts/generate-marc8-tables.ts makes from the XML", async () => {
    const script = join(ROOT, "scripts/generate-marc8-tables.ts");
    await promisify(execFile)(process.execPath, ["--import", "tsx", script, XML, out], { cwd: ROOT });
    const committed = readdirSync(GENERATED).sort();
    expect(readdirSync(out).sort()).toEqual(committed);
    for (const file of committed) {
      expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(join(GENERATED, file), "utf8"));
    }
  });
});

import { createReadStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createDumpWriter, dumpField, dumpRecord } from "../src/marc/dump.js";
import { readIso2709 } from "../src/marc/iso2709-reader.js";
import { controlField, dataField } from "../src/marc/record.js";
import { CORPUS } from "./fixtures/paths.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "marc");

async function dumpFile(name: string): Promise<string> {
  let text = "";
  for await (const item of readIso2709(createReadStream(join(CORPUS, name)))) text += dumpRecord(item.record);
  return text;
}

describe("dumpRecord matches yaz-marcdump (fixtures made once with YAZ 5.34)", () => {
  for (const name of [
    "summerland",
    "chabon",
    "u17_utf8",
    "oclc_63111280_export_as_UTF8_from_connexion",
    "brkrtest_UTF8",
  ]) {
    it(`${name}.mrc, field by field`, async () => {
      expect(await dumpFile(`${name}.mrc`)).toBe(readFileSync(join(FIXTURES, `${name}.yaz.txt`), "utf8"));
    });
  }

  // yaz converts MARC-8 but neither normalises to NFC nor changes Leader/09 in its line format.
  for (const name of ["chabon-loc", "brkrtest"]) {
    it(`${name}.mrc (MARC-8) matches yaz's UTF-8 conversion`, async () => {
      const yaz = readFileSync(join(FIXTURES, `${name}.utf8.yaz.txt`), "utf8")
        .normalize("NFC")
        .replace(/^(\d{5}.{4}) /gm, "$1a");
      expect(await dumpFile(`${name}.mrc`)).toBe(yaz);
    });
  }
});

describe("dump lines", () => {
  it("formats control and data fields", () => {
    expect(dumpField(controlField("001", "123"))).toBe("001 123");
    expect(
      dumpField(
        dataField("245", "1", "0", [
          ["a", "T /"],
          ["c", "Me."],
        ]),
      ),
    ).toBe("245 10 $a T / $c Me.");
  });

  it("writes through a stream writer and ends it", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => {
      text += c.toString("utf8");
    });
    const writer = createDumpWriter(out);
    for await (const item of readIso2709(createReadStream(join(CORPUS, "chabon.mrc"))))
      await writer.write(item.record);
    await writer.close();
    expect(text).toBe(readFileSync(join(FIXTURES, "chabon.yaz.txt"), "utf8"));
  });
});

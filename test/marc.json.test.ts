import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarcReadError } from "../src/marc/codec.js";
import { createMarcJsonWriter, marcJsonToRecord, readMarcJson, recordToMarcJson } from "../src/marc/json.js";
import { parseMarcXmlString } from "../src/marc/marcxml-string.js";
import { subfield } from "../src/marc/record.js";
import { record } from "./fixtures/marc-text/arbitrary.js";
import { CORPUS, readAll, writeAll } from "./fixtures/marc-text/io.js";

const corpus = (name: string) => readFileSync(join(CORPUS, name));

describe("MARC-in-JSON reader", () => {
  it("reads marc-in-json.json with known values", async () => {
    const [item] = await readAll(readMarcJson, corpus("marc-in-json.json"), {}, 13);
    expect(item.problems).toEqual([]);
    expect(item.record.leader).toBe("01471cjm a2200349 a 4500");
    expect(item.record.controlValue("008")).toBe("930331s1963    nyuppn              eng d");
    expect(item.record.fields).toHaveLength(27);
    const f245 = item.record.get("245")!;
    expect(f245.kind === "data" && [f245.ind1, f245.ind2, subfield(f245, "a")]).toEqual([
      "1",
      "4",
      "The freewheelin' Bob Dylan",
    ]);
    expect(subfield(item.record.get("035")!, "9")).toBe("(DLC)   93707283");
  });

  it("summerland-marc-in-json.json equals summerland.xml", async () => {
    const [item] = await readAll(readMarcJson, corpus("summerland-marc-in-json.json"));
    const [xml] = parseMarcXmlString(readFileSync(join(CORPUS, "summerland.xml"), "utf8"));
    expect(item.record.equals(xml)).toBe(true);
  });

  it("illegal-marc-in-json.json: a clear problem with line and column, a recovered record, no crash", async () => {
    const [item, ...more] = await readAll(readMarcJson, corpus("illegal-marc-in-json.json"), {}, 64);
    expect(more).toEqual([]);
    expect(item.problems[0]).toMatchObject({ severity: "error", recordNumber: 1, byteOffset: 0 });
    expect(item.problems[0].message).toMatch(/Bad control character.*line 170, column 36.*recovered/);
    expect(item.record.controlValue("001")).toBe("5674874");
    await expect(
      readAll(readMarcJson, corpus("illegal-marc-in-json.json"), { strict: true }),
    ).rejects.toThrow(MarcReadError);
  });

  it("reads an array, NDJSON and concatenated objects, with byte offsets", async () => {
    const one = JSON.stringify({ leader: "00000nam a2200000 a 4500", fields: [{ "001": "1" }] });
    const two = one.replace('"1"', '"2"');
    for (const text of [`[${one},\n${two}]`, `${one}\n${two}\n`, `${one}${two}`]) {
      const items = await readAll(readMarcJson, text, { strict: true }, 5);
      expect(items.map((i) => i.record.controlValue("001"))).toEqual(["1", "2"]);
      expect(items[1].byteOffset).toBe(text.indexOf(two));
    }
  });

  it("names record and field in structural problems and keeps the rest", async () => {
    const bad = {
      leader: "00000nam a2200000 a 4500",
      fields: [
        { "001": "1" },
        { "245": { ind1: "1", subfields: [{ a: "T" }, { b: 3 }] } },
        42,
        { "500": { ind1: " ", ind2: " ", subfields: [{ a: "N" }] } },
      ],
    };
    const text = `${JSON.stringify({ leader: "00000nam a2200000 a 4500", fields: [] })}\n${JSON.stringify(bad)}`;
    const [, item] = await readAll(readMarcJson, text);
    expect(item.problems.map((p) => [p.recordNumber, p.tag, p.message])).toEqual([
      [2, "245", "field 2 (245): ind2 is missing; blank used"],
      [2, "245", 'field 2 (245), subfield 2: must be {"code": "text"}, not an object; skipped'],
      [2, undefined, "field 3 must be an object with one tag, not a number (42); skipped"],
    ]);
    expect(item.record.fields.map((f) => f.tag)).toEqual(["001", "245", "500"]);
    expect(() => marcJsonToRecord(bad, 7)).toThrow(/record 7, field 245: field 2 \(245\): ind2 is missing/);
  });

  it("reports truncated input and stray text", async () => {
    const items = await readAll(readMarcJson, '{"leader": "00000nam a2200000 a 4500", "fields": [');
    expect(items[0].problems[0].message).toMatch(/truncated JSON/);
    const junk = await readAll(readMarcJson, "hello");
    expect(junk[0].problems[0].message).toMatch(/not a JSON object.*line 1/);
  });
});

describe("MARC-in-JSON writer", () => {
  it("writes the LoC shape", () => {
    const [r] = parseMarcXmlString(readFileSync(join(CORPUS, "summerland.xml"), "utf8"));
    const json = recordToMarcJson(r);
    expect(json.leader).toBe("00714cam a2200205 a 4500");
    expect(json.fields[0]).toEqual({ "001": "12883376" });
    expect(json.fields[7]).toEqual({
      "245": { ind1: "1", ind2: "0", subfields: [{ a: "Summerland /" }, { c: "Michael Chabon." }] },
    });
  });

  it("property: random records survive write and read (array and NDJSON)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record(false), { maxLength: 5 }), fc.boolean(), async (records, ndjson) => {
        const text = await writeAll((out) => createMarcJsonWriter(out, { ndjson }), records);
        const items = await readAll(readMarcJson, text, { strict: true }, 17);
        expect(items.length).toBe(records.length);
        expect(items.map((item, i) => item.record.equals(records[i]))).toEqual(records.map(() => true));
      }),
      { numRuns: 200 },
    );
  });
});

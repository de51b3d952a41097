/**
 * Issue 17 item 8: number lists and CSV files as spreadsheets and Notepad write them. UTF-16 (Excel's
 * "Unicode text", Notepad's "Unicode" and "Unicode big endian") is decoded instead of reaching the report as
 * NUL bytes, a UTF-8 byte order mark is dropped, semicolon- and tab-separated CSV is read by its separator,
 * and the log says how the file was read.
 */
import { afterEach, describe, expect, it } from "vitest";
import { csvNumberSource, textNumberSource } from "../src/batch/index.js";
import { encodingOf, separatorOf } from "../src/batch/text-input.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

/** The bytes Notepad and Excel write for "Unicode" (UTF-16LE with a byte order mark). */
function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
}

/** "Unicode big endian": UTF-16BE with its byte order mark. */
function utf16be(text: string): Buffer {
  const le = Buffer.from(text, "utf16le");
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
}

function utf8bom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
}

describe("number lists and CSV in the encodings spreadsheets write", () => {
  it("UTF-16LE CSV separated by semicolons (Excel, comma-decimal locales): decoded, read, logged", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const path = h.file("liste.csv", utf16le("Titel;OCLC Number\r\nEmma;100000002\r\nÉlise;100000003\r\n"));
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "liste.csv"], { "liste.csv": path });
    expect([r.process.status, r.process.exitMessage]).toEqual(["COMPLETED", null]);
    expect(r.log).toContain("reading UTF-16LE, separator ';', column 'OCLC Number'");
    const report = r.text("report.csv");
    expect(report).not.toContain("\u0000");
    // ok, or skipped where the seed holds it already: either way the number was read right.
    expect(reportRows(report).map((row) => [row.inputId, row.requested, row.outcome !== "failed"])).toEqual([
      ["100000002", "100000002", true],
      ["100000003", "100000003", true],
    ]);
  });

  it("UTF-16BE tab-separated text: decoded, its tab named in the log", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const path = h.file("export.txt", utf16be("OCLC Number\tTitle\r\n100000002\tEmma\r\n"));
    const r = await h.run("worldcat-fetch", ["-i", "export.txt"], { "export.txt": path });
    expect(r.process.status).toBe("COMPLETED");
    expect(r.log).toContain("reading UTF-16BE, separator tab, column 'OCLC Number'");
    expect(reportRows(r.text("report.csv")).map((row) => [row.requested, row.outcome])).toEqual([
      ["100000002", "ok"],
    ]);
  });

  it("a Notepad 'Unicode' list of numbers, one a line: no NUL bytes in the report, the encoding logged", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const path = h.file("numbers.txt", utf16le("100000002\r\n\r\n100000003\r\nnot-a-number\r\n"));
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "numbers.txt"], { "numbers.txt": path });
    expect(r.log).toContain("reading UTF-16LE, one number a line");
    const report = r.text("report.csv");
    expect(report).not.toContain("\u0000");
    const rows = reportRows(report);
    expect(rows.map((row) => [row.inputId, row.outcome === "failed"])).toEqual([
      ["100000002", false],
      ["100000003", false],
      ["not-a-number", true],
    ]);
    expect(rows[2]!.message).toMatch(/numbers.txt line 4: not an OCLC number: "not-a-number"/);
  });

  it("UTF-8 with a byte order mark and semicolons: the mark dropped, the separator logged", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const path = h.file("bom.csv", utf8bom("OCLC Number;Titre\r\n100000002;Émile\r\n"));
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "bom.csv"], { "bom.csv": path });
    expect(r.process.status).toBe("COMPLETED");
    expect(r.log).toContain("reading UTF-8, separator ';', column 'OCLC Number'");
    expect(reportRows(r.text("report.csv")).map((row) => row.requested)).toEqual(["100000002"]);
  });

  it("sources count UTF-16 items right (the progress total) and decode them", async () => {
    h = await startHarness();
    const csv = h.file("c.csv", utf16le("ocn;title\r\n\r\n100000002;A\r\n100000003;B\r\n"));
    const source = csvNumberSource(csv);
    expect(await source.count?.()).toBe(2);
    const ids: string[] = [];
    for await (const e of source.entries()) ids.push(e.inputId);
    expect(ids).toEqual(["100000002", "100000003"]);
    const text = h.file("t.txt", utf16be("# list\r\n100000002\r\n\r\n100000003\r\n"));
    const list = textNumberSource(text);
    expect(await list.count?.()).toBe(2);
    const numbers: string[] = [];
    for await (const e of list.entries()) numbers.push(e.inputId);
    expect(numbers).toEqual(["100000002", "100000003"]);
  });

  it("tells encodings and separators apart", () => {
    expect(encodingOf(utf16le("1"))).toBe("UTF-16LE");
    expect(encodingOf(utf16be("1"))).toBe("UTF-16BE");
    expect(encodingOf(Buffer.from("123\r\n456\r\n", "utf16le"))).toBe("UTF-16LE"); // no BOM
    expect(encodingOf(utf8bom("123"))).toBe("UTF-8");
    expect(encodingOf(Buffer.from("Émile,123", "utf8"))).toBe("UTF-8");
    expect(separatorOf("a;b;c")).toBe(";");
    expect(separatorOf("a\tb")).toBe("\t");
    expect(separatorOf('"Smith, J.";123')).toBe(";");
    expect(separatorOf("a,b;c")).toBe(",");
    expect(separatorOf("OCLC Number")).toBe(",");
  });
});

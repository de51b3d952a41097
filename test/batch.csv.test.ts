import { describe, expect, it } from "vitest";
import { CsvParser, csvRow, readSpreadsheetSafe, spreadsheetSafe } from "../src/batch/csv.js";
import { parseRow, rowFields } from "../src/batch/report.js";

function parseAll(chunks: string[]) {
  const p = new CsvParser();
  return [...chunks.flatMap((c) => p.push(c)), ...p.end()];
}

describe("csv", () => {
  it("quotes what RFC 4180 requires and nothing else", () => {
    expect(csvRow(["a", "b,c", 'say "hi"', "two\nlines", " pad", ""])).toBe(
      'a,"b,c","say ""hi""","two\nlines"," pad",\r\n',
    );
  });

  it("reads back what it writes, whatever the chunking, with line numbers", () => {
    const rows = [
      ["id", "title"],
      ["1", 'He said "yes", then\r\nleft'],
      ["2", '""'],
      ["3", ""],
    ];
    const text = `\uFEFF${rows.map(csvRow).join("")}`;
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const records = parseAll(chunks);
      expect(records.map((r) => r.fields)).toEqual(rows);
      expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5]);
      expect(records.every((r) => r.terminated && !r.error)).toBe(true);
    }
  });

  it("skips blank lines, accepts LF, and marks an unterminated last record", () => {
    const records = parseAll(["a,b\n\n1,2\n3,"]);
    expect(records.map((r) => [r.fields, r.terminated])).toEqual([
      [["a", "b"], true],
      [["1", "2"], true],
      [["3", ""], false],
    ]);
  });

  it("reports a quote that never closes, with its line", () => {
    const records = parseAll(['1,ok\n2,"never closed\n3,x\n']);
    expect(records[0].fields).toEqual(["1", "ok"]);
    expect(records[1].error).toBe("line 2: quoted field never closed");
  });
});

describe("spreadsheet safety (CSV injection)", () => {
  it("a cell a spreadsheet would run as a formula is written as text, and read back exactly", () => {
    const cases = [
      '=HYPERLINK("http://x")',
      "+1",
      "-2+3",
      "@SUM(A1)",
      "\t=1",
      "'=already quoted",
      "''+x",
      "ok",
      "'plain",
      "",
    ];
    const written = cases.map(spreadsheetSafe);
    expect(written).toEqual([
      '\'=HYPERLINK("http://x")',
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\t=1",
      "''=already quoted",
      "'''+x",
      "ok",
      "'plain",
      "",
    ]);
    expect(written.map(readSpreadsheetSafe)).toEqual(cases);
  });

  it("report rows are written safe and parsed back to the same row", () => {
    const row = {
      position: 3,
      line: 5,
      inputId: "=cmd|' /C calc'!A0",
      requested: "",
      current: "",
      action: "set",
      outcome: "failed" as const,
      errorCode: "",
      message: "-not an OCLC number",
    };
    const cells = rowFields(row);
    expect(cells[1]).toBe("5");
    expect(cells[2]).toBe("'=cmd|' /C calc'!A0");
    expect(cells[8]).toBe("'-not an OCLC number");
    expect(parseRow(cells)).toEqual(row);
    // a row of a report written before `line` and `error_code` (a resume may copy one)
    const legacy = [cells[0], ...cells.slice(2)];
    expect(parseRow(legacy)).toEqual({ ...row, line: undefined });
  });
});

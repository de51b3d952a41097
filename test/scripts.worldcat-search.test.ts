/** worldcat-search end to end: a list of look-ups in, one candidates.csv row per candidate, report row by row. */
import { afterEach, describe, expect, it } from "vitest";
import { CsvParser } from "../src/batch/csv.js";
import { syntheticIsbn, syntheticTitle } from "../src/sandbox/seed/synthetic.js";
import { toQuery } from "../src/scripts/worldcat/search-query.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

function csv(text: string): string[][] {
  expect(text.startsWith("\uFEFF")).toBe(true);
  const p = new CsvParser();
  return [...p.push(text.slice(1)), ...p.end()].map((r) => r.fields);
}

describe("worldcat-search", () => {
  it("reads ISBNs, ISSNs, OCLC numbers and indexed queries", () => {
    expect(toQuery("978-0-441-01359-3")).toEqual({ q: "bn:9780441013593" });
    expect(toQuery("0679450041")).toEqual({ q: "bn:0679450041" });
    expect(toQuery("0028-0836")).toEqual({ q: "in:0028-0836" });
    expect(toQuery("ocm00012345")).toEqual({ q: "no:12345", ocn: "12345" });
    expect(toQuery("(OCoLC)123")).toEqual({ q: "no:123", ocn: "123" });
    expect(toQuery("ti:dune AND au:herbert")).toEqual({ q: "ti:dune AND au:herbert" });
    expect(toQuery("pride and prejudice")).toEqual({ q: "kw:pride and prejudice" });
  });

  it("one row per candidate in input order, one report row per query", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const b5 = { isbns: [syntheticIsbn(5)], title: syntheticTitle(5) };
    const list = [
      String(b5.isbns?.[0]),
      "ocm100000007",
      "ti:Sense and sensibility AND au:Austen",
      "ti:nothing-like-this-zzz",
    ].join("\n");
    const r = await h.run("worldcat-search", ["-i", "q.txt", "--limit", "3"], {
      "q.txt": h.file("q.txt", `${list}\n`),
    });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", String(b5.isbns?.[0]), "", "100000005", "search", "ok", ""],
      ["2", "ocm100000007", "100000007", "100000007", "search", "ok", ""],
      ["3", "ti:Sense and sensibility AND au:Austen", "", "", "search", "ok", ""],
      ["4", "ti:nothing-like-this-zzz", "", "", "search", "skipped", "NO_CANDIDATES"],
    ]);
    expect(rows[2].message).toMatch(/^ti:Sense and sensibility AND au:Austen: 3 of \d+ candidate\(s\)$/);
    const cands = csv(r.text("candidates.csv"));
    expect(cands[0]).toEqual([
      "position",
      "input_id",
      "query",
      "rank",
      "oclc_number",
      "confidence",
      "reason",
      "title",
      "creator",
      "date",
      "publisher",
      "isbns",
      "issns",
      "format",
      "language",
    ]);
    const body = cands.slice(1);
    expect(body.map((c) => [c[0], c[3], c[4]])).toEqual([
      ["1", "1", "100000005"],
      ["2", "1", "100000007"],
      ["3", "1", body[2][4]],
      ["3", "2", body[3][4]],
      ["3", "3", body[4][4]],
    ]);
    expect(body[0][2]).toBe(`bn:${b5.isbns?.[0]}`);
    expect(body[0][7]).toBe(b5.title);
    for (const c of body.slice(2)) expect(c[7].toLowerCase()).toContain("sense and sensibility");
  });
});

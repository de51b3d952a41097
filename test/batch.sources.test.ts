import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countCsvRecords, countTextItems } from "../src/batch/count.js";
import type { SourceEntry } from "../src/batch/item.js";
import { runBatch } from "../src/batch/runner.js";
import type { BatchSource } from "../src/batch/source.js";
import { csvNumberSource } from "../src/batch/sources/csv.js";
import { marcNumberSource, marcRecordSource } from "../src/batch/sources/marc.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import type { MarcWriter, ReadItem } from "../src/marc/codec.js";
import { controlField, createRecord, dataField, type Field, type MarcRecord } from "../src/marc/record.js";
import { createTestContext } from "./fixtures/batch/context.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "batch-sources-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function entries<P, R>(source: BatchSource<P, R>): Promise<SourceEntry<P, R>[]> {
  const out: SourceEntry<P, R>[] = [];
  for await (const e of source.entries()) out.push(e);
  return out;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("text source", () => {
  it("yields numbers with positions, skips blanks and comments, fails bad lines with their line number", async () => {
    const path = file(
      "n.txt",
      "\uFEFF# header comment\r\n  ocm00000123  \r\n\r\n   # indented comment\r\n456 # note\r\nabc\r\n(OCoLC)789",
    );
    const got = await entries(textNumberSource(path));
    expect(got.map((e) => [e.position, e.inputId, e.payload, e.invalid])).toEqual([
      [1, "ocm00000123", "123", undefined],
      [2, "456", "456", undefined],
      [3, "abc", undefined, 'line 6: not an OCLC number: "abc"'],
      [4, "(OCoLC)789", "789", undefined],
    ]);
    expect(got[1].raw).toBe("456 # note");
    expect(await countTextItems(path)).toBe(4);
  });
});

describe("csv source", () => {
  it("takes the named column, keeps the header for failures, and fails bad rows with line and column", async () => {
    const path = file("h.csv", 'Title,oclc_number,note\r\n"A, b",ocn123456789,x\r\n,,\r\nC,,y\r\nD,"99\r\n');
    const source = csvNumberSource(path);
    const got = await entries(source);
    expect(got.map((e) => [e.position, e.inputId, e.payload, e.invalid])).toEqual([
      [1, "ocn123456789", "123456789", undefined],
      [2, "", undefined, "line 4, column 2 (oclc_number): no OCLC number"],
      [3, "99", undefined, "line 5: quoted field never closed"],
    ]);
    expect(got[0].raw).toEqual({
      fields: ["A, b", "ocn123456789", "x"],
      header: ["Title", "oclc_number", "note"],
    });
    expect(await source.count?.()).toBe(3);
    expect(await countCsvRecords(path)).toBe(4);
  });

  it("reads a headerless file of several columns only from the column it is told (never a guess)", async () => {
    const path = file("plain.csv", "111,first\n222,second\n");
    await expect(entries(csvNumberSource(path))).rejects.toThrow(
      "no header naming the OCLC-number column (first row: '111', 'first')",
    );
    const source = csvNumberSource(path, { column: "1" });
    const got = await entries(source);
    expect(got.map((e) => e.payload)).toEqual(["111", "222"]);
    expect(got[0].raw).toEqual({ fields: ["111", "first"], header: undefined });
    expect(await source.count?.()).toBe(2);
  });
});

/** A small line-based MARC writer (one record per line) standing in for a src/marc writer. */
function lineWriter(out: Writable): MarcWriter {
  return {
    async write(record) {
      out.write(
        `${record.fields.map((f) => (f.kind === "control" ? `${f.tag}=${f.value}` : f.tag)).join(" ")}\n`,
      );
    },
    async close() {
      out.end();
    },
  };
}

const rec = (fields: Field[]): MarcRecord => createRecord({ fields });

function reads(records: MarcRecord[], problemAt?: number): ReadItem[] {
  return records.map((record, i) => ({
    record,
    recordNumber: i + 1,
    problems:
      i + 1 === problemAt
        ? [{ severity: "error", recordNumber: i + 1, tag: "245", message: "field cut short" }]
        : [],
  }));
}

async function* iterate(items: ReadItem[]): AsyncGenerator<ReadItem> {
  yield* items;
}

describe("marc sources", () => {
  const records = [
    rec([controlField("001", "ocm00000012"), controlField("003", "OCoLC")]),
    rec([controlField("001", "local-7"), dataField("035", " ", " ", [["a", "(OCoLC)34"]])]),
    rec([controlField("001", "local-8")]),
    rec([controlField("001", "ocn000000056")]),
  ];

  it("numbers from 001 or 035; records without one or with read errors fail with the record number", async () => {
    const source = marcNumberSource({
      records: () => iterate(reads(records, 4)),
      openWriter: lineWriter,
      extension: "mrk",
    });
    const got = await entries(source);
    expect(got.map((e) => [e.position, e.inputId, e.payload, e.invalid])).toEqual([
      [1, "ocm00000012", "12", undefined],
      [2, "local-7", "34", undefined],
      [3, "local-8", undefined, "record 3: no OCLC number in 001 or 035"],
      [4, "ocn000000056", undefined, "record 4, field 245: field cut short"],
    ]);
  });

  it("records as items; failures written back through the writer, in order", async () => {
    const ctx = createTestContext(dir, 1);
    const source = marcRecordSource({
      records: () => iterate(reads(records)),
      openWriter: lineWriter,
      extension: "mrk",
    });
    const summary = await runBatch(ctx, {
      source,
      handle: async (item) => {
        expect(item.payload).toBe(item.raw);
        return item.oclcNumber === undefined
          ? { outcome: "failed", message: "no number" }
          : { outcome: "ok" };
      },
    });
    expect(summary.byOutcome.failed).toBe(1);
    expect(summary.files.failures).toBe("failures.mrk");
    expect(readFileSync(ctx.files.get("failures.mrk")!, "utf8")).toBe("001=local-8\n");
  });
});

/**
 * Issue 17 item 2: a CSV whose header names no OCLC-number column is refused before any process exists
 * (CLI exit 2, REST 422), naming the columns seen, unless `--column NAME|NUMBER` says which to use; the log
 * always says which column was read.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ParameterError } from "../src/engine/parameters.js";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { writeWorkerConfig } from "./fixtures/worldcat-scripts/cli-worker.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";
import { startRest } from "./fixtures/worldcat-scripts/rest.js";

let h: Harness;
afterEach(() => h?.close());

const BARCODES = "Barcode,Title\r\n3901,Pride and prejudice\r\n3902,Emma\r\n";
const REFUSAL =
  "weeding.csv: no OCLC-number column in the header (columns seen: 'Barcode', 'Title'); say which column holds the OCLC numbers with --column NAME or --column NUMBER";
const processCount = async () => (await h.engine.service.listProcesses({ size: 1 })).total;

describe("CSV input: the OCLC-number column is never guessed", () => {
  it("a header naming no OCLC-number column is refused before a process exists, naming the columns", async () => {
    h = await startHarness();
    const path = h.file("weeding.csv", BARCODES);
    const start = h.start("worldcat-holdings", ["-a", "set", "-i", "weeding.csv"], { "weeding.csv": path });
    await expect(start).rejects.toThrow(ParameterError);
    await expect(start).rejects.toThrow(REFUSAL);
    // Several columns and no header at all: refused too (the first one may be a barcode).
    const bare = h.file("bare.csv", "3901,Pride and prejudice\r\n");
    await expect(h.start("worldcat-fetch", ["-i", "bare.csv"], { "bare.csv": bare })).rejects.toThrow(
      "bare.csv: no header naming the OCLC-number column (first row: '3901', 'Pride and prejudice')",
    );
    // A --column the file does not have.
    await expect(
      h.start("worldcat-holdings", ["-a", "set", "-i", "weeding.csv", "--column", "OCLC"], {
        "weeding.csv": path,
      }),
    ).rejects.toThrow(
      "weeding.csv: --column 'OCLC': no such column in the header (columns seen: 'Barcode', 'Title')",
    );
    expect(await processCount()).toBe(0);
    expect(h.sandbox.state.counters.requests).toBe(0);
  });

  it("--column NAME or NUMBER says which; the log says which column was read", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const path = h.file("list.csv", "Title,Local id\r\nA,100000002\r\nB,100000003\r\n");
    const byName = await h.run("worldcat-holdings", ["-a", "set", "-i", "list.csv", "--column", "local id"], {
      "list.csv": path,
    });
    expect([byName.process.status, byName.process.exitMessage]).toEqual(["COMPLETED", null]);
    expect(byName.log).toContain("reading column 'Local id'");
    expect(reportRows(byName.text("report.csv")).map((r) => r.requested)).toEqual(["100000002", "100000003"]);
    const byNumber = await h.run("worldcat-fetch", ["-i", "list.csv", "-C", "2"], { "list.csv": path });
    expect(byNumber.log).toContain("reading column 'Local id'");
    expect(reportRows(byNumber.text("report.csv")).map((r) => r.requested)).toEqual([
      "100000002",
      "100000003",
    ]);
    // A known name needs no --column, and is logged too.
    const named = h.file("named.csv", "Title,OCLC Number\r\nA,100000002\r\n");
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "named.csv"], { "named.csv": named });
    expect(r.log).toContain("reading column 'OCLC Number'");
  });

  it("REST answers 422 naming the columns, and creates no process", async () => {
    h = await startHarness();
    const rest = await startRest(h);
    h.defer(() => rest.close());
    const r = await rest.start(
      rest.users.admin,
      "worldcat-holdings",
      [
        { name: "--action", value: "set" },
        { name: "--input", value: "weeding.csv" },
      ],
      { "weeding.csv": BARCODES },
    );
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain("columns seen: 'Barcode', 'Title'");
    expect(await processCount()).toBe(0);
  });

  it("the CLI exits 2 with the message on stderr, and creates no process", async () => {
    h = await startHarness();
    const path = h.file("weeding.csv", BARCODES);
    const config = writeWorkerConfig(h);
    const r = await cli(
      [
        "run",
        "--data-dir",
        h.config.dataDir,
        "--config",
        config,
        "worldcat-holdings",
        "-a",
        "set",
        "-i",
        path,
      ],
      h.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no OCLC-number column in the header (columns seen: 'Barcode', 'Title')");
    expect(r.stdout).not.toContain("process ");
    expect(await processCount()).toBe(0);
  }, 60_000);
});

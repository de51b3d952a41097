import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readIso2709 } from "../src/marc/index.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ sandbox: { seed: 1000 } });
});
afterEach(() => h.close());

describe("worldcat-bibs create", () => {
  it("creates, reports each record and writes records.mrc with the numbers", async () => {
    const input = writeIso2709(h.file("new.mrc", ""), [
      newRecord(1),
      newRecord(2, { localId: false }),
      newRecord(3),
    ]);
    const r = await h.run("worldcat-bibs", ["--action", "create", "--input", "new.mrc"], {
      "new.mrc": input,
    });
    console.log(r.process.status, r.process.exitMessage, r.log, r.text("report.csv"));
  });
});

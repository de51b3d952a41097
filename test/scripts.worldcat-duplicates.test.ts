/**
 * Issue 17 item 1: a create batch never makes a second master record. Before any create the record is looked
 * for in Nightshift's history of creates (the same content, created by process P) and in WorldCat (035,
 * match, ISBN/ISSN, title/author/date); found, it is reported `exists` with its number and not created.
 * `--allow-duplicates` creates anyway; `--dry-run` says what it looked for and what it found.
 */
import { afterEach, describe, expect, it } from "vitest";
import { dataField } from "../src/marc/index.js";
import { resolveAccount } from "../src/worldcat/accounts.js";
import { createWorldCatClient } from "../src/worldcat/client.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

const creates = () => h.sandbox.state.creations.length;

describe("worldcat-bibs create: no duplicate master records", () => {
  it("the same batch run twice: the second run reports `exists` with the number and the process, creates nothing", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const input = writeIso2709(h.file("new.mrc", ""), [
      newRecord(1, { localId: false, tag: "dup" }),
      newRecord(2, { tag: "dup" }),
    ]);
    const first = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": input });
    const made = reportRows(first.text("report.csv"));
    expect(made.map((r) => [r.action, r.outcome])).toEqual([
      ["create", "ok"],
      ["create", "ok"],
    ]);
    expect(creates()).toBe(2);

    const again = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": input });
    const rows = reportRows(again.text("report.csv"));
    expect(rows.map((r) => [r.action, r.outcome, r.current])).toEqual([
      ["exists", "skipped", made[0].current],
      ["exists", "skipped", made[1].current],
    ]);
    expect(rows[0].message).toMatch(
      new RegExp(`^exists as ${made[0].current}: created by Nightshift process ${first.process.id} on `),
    );
    expect(creates()).toBe(2);
    // The numbers still go back into records.mrc, ready to load into the local catalogue.
    expect(again.has("records.mrc")).toBe(true);
  });

  it("a record someone else created in WorldCat is found there (no local id) and reported `exists`", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const record = newRecord(7, { localId: false, tag: "elsewhere" });
    const wc = createWorldCatClient(await resolveAccount(h.config.accounts, "sandbox", h.env));
    let theirs: string;
    try {
      theirs = String((await wc.bibs.create(record)).controlValue("001")).replace(/\D/g, "");
    } finally {
      await wc.close?.();
    }
    expect(creates()).toBe(1);
    const input = writeIso2709(h.file("new.mrc", ""), [record]);
    const r = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": input });
    const [row] = reportRows(r.text("report.csv"));
    expect(row).toMatchObject({ action: "exists", outcome: "skipped", current: theirs });
    expect(row.message).toBe(`exists in WorldCat as ${theirs} (found by match (same title/author/date))`);
    expect(creates()).toBe(1);
  });

  it("a record with the same ISBN but another title is not taken for it", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const isbn = (r: ReturnType<typeof newRecord>) =>
      r.addField(dataField("020", " ", " ", [["a", "9780441013593 (paperback)"]]));
    const wc = createWorldCatClient(await resolveAccount(h.config.accounts, "sandbox", h.env));
    try {
      await wc.bibs.create(isbn(newRecord(8, { localId: false, tag: "isbn other" })));
    } finally {
      await wc.close?.();
    }
    const input = writeIso2709(h.file("new.mrc", ""), [isbn(newRecord(8, { localId: false, tag: "isbn" }))]);
    const dry = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "--dry-run"], {
      "new.mrc": input,
    });
    const [row] = reportRows(dry.text("report.csv"));
    expect(row.outcome).toBe("skipped");
    expect(row.message).toContain("ISBN 9780441013593: ");
    expect(row.message).toContain("(not the same title/author/date)");
    expect(creates()).toBe(1);
  });

  it("--dry-run says exactly what it looked for and what it found", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const input = writeIso2709(h.file("new.mrc", ""), [newRecord(3, { tag: "dry" })]);
    const dry = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "-n"], { "new.mrc": input });
    const [row] = reportRows(dry.text("report.csv"));
    expect(row).toMatchObject({ outcome: "skipped", errorCode: "DRY_RUN" });
    expect(row.message).toBe(
      "dry run: would create; looked in Nightshift's creates for this institution: nothing with the same content; " +
        "WorldCat by 035 (NSHTEST)dry3: nothing; match: nothing; " +
        "search ti:nightshift dry record number 3 AND au:tester3 night: nothing",
    );
    expect(creates()).toBe(0);

    // After a real create, the dry run finds it and says where.
    const made = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": input });
    const number = reportRows(made.text("report.csv"))[0].current;
    const dry2 = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "-n"], { "new.mrc": input });
    const [row2] = reportRows(dry2.text("report.csv"));
    expect(row2).toMatchObject({ action: "exists", current: number });
    expect(row2.message).toContain(`created by Nightshift process ${made.process.id}`);
    expect(creates()).toBe(1);
  });

  it("--allow-duplicates creates it anyway", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const input = writeIso2709(h.file("new.mrc", ""), [newRecord(4, { localId: false, tag: "again" })]);
    await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": input });
    const dry = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "-n", "--allow-duplicates"], {
      "new.mrc": input,
    });
    expect(reportRows(dry.text("report.csv"))[0].message).toBe(
      "dry run: would create (not looked for: --allow-duplicates)",
    );
    const r = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "--allow-duplicates"], {
      "new.mrc": input,
    });
    expect(reportRows(r.text("report.csv")).map((x) => [x.action, x.outcome])).toEqual([["create", "ok"]]);
    expect(creates()).toBe(2);
  });
});

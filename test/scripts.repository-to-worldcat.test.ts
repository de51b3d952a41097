import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseArgv } from "../src/engine/parameters.js";
import { dataField, subfieldValues } from "../src/marc/index.js";
import { BUILT_IN_PROFILE } from "../src/oai/profile.js";
import { readBib, replaceBib } from "../src/sandbox/domain/bib-ops.js";
import { openSchedules } from "../src/schedule/index.js";
import { getScheduleState } from "../src/store/queries/schedule-states.js";
import { iso2709Records } from "./fixtures/oai/marc.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

const endpoint = () => `${h.sandbox.url}/oai/request`;
const creates = () => h.sandbox.state.creations.length;

describe("repository-to-worldcat", () => {
  it("the whole flow twice: 63 created with holdings, the deleted one reported; the second run creates nothing", async () => {
    h = await startHarness({ sandbox: { corpus: false } });
    const first = await h.run("repository-to-worldcat", ["--endpoint", endpoint(), "--from", "2026-01-01"]);
    expect(first.process.status).toBe("COMPLETED");
    const rows = reportRows(first.text("report.csv"));
    expect(rows).toHaveLength(64);
    const deleted = rows.filter((r) => r.outcome === "skipped");
    expect(deleted.map((r) => [r.inputId, r.action, r.errorCode])).toEqual([
      ["oai:repository.example.edu:123456789/1013", "deleted in repository", "DELETED_IN_REPOSITORY"],
    ]);
    const created = rows.filter((r) => r.outcome === "ok");
    expect(created).toHaveLength(63);
    expect(new Set(created.map((r) => r.action))).toEqual(new Set(["create"]));
    expect(created.every((r) => /holding set/.test(r.message))).toBe(true);
    expect(creates()).toBe(63);
    expect(first.log).toMatch(/harvest .* in qdc from 2026-01-01/);

    // What was sent, with the numbers, in both formats.
    const records = await iso2709Records(first.bytes("records.mrc"));
    expect(records).toHaveLength(63);
    expect(records[0].get("035")).toBeDefined();
    expect(records.map((r) => r.controlValue("001"))).toEqual(created.map((r) => `on${r.current}`));
    expect(first.text("records.xml")).toContain("<record");
    const numbers = first
      .text("repository-oclc-numbers.csv")
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(numbers[0]).toBe("oai_identifier,handle_url,oclc_number,action,dc.identifier.oclc");
    expect(numbers).toHaveLength(64);
    expect(numbers[1]).toBe(
      `oai:repository.example.edu:123456789/1001,https://repository.example.edu/handle/123456789/1001,${created[0].current},create,(OCoLC)${created[0].current}`,
    );

    const second = await h.run("repository-to-worldcat", ["--endpoint", endpoint(), "--from", "2026-01-01"]);
    expect(second.process.status).toBe("COMPLETED");
    expect(creates()).toBe(63);
    const again = reportRows(second.text("report.csv"));
    expect(again.filter((r) => r.outcome === "ok").map((r) => [r.action, r.current])).toEqual(
      created.map((r) => ["found", r.current]),
    );
  });

  it("a record found in WorldCat by its 035 OAI identifier (made elsewhere) is taken, not created", async () => {
    h = await startHarness({ sandbox: { corpus: false } });
    const one = [
      "--endpoint",
      endpoint(),
      "--identifier",
      "oai:repository.example.edu:123456789/1002",
      "--format",
      "oai_dc",
    ];
    const r1 = await h.run("repository-to-worldcat", one);
    expect(reportRows(r1.text("report.csv")).map((r) => [r.action, r.outcome])).toEqual([["create", "ok"]]);
    // As if another Nightshift (or a cataloguer) had made it: this one's history of the sync forgets it.
    await h.engine.store.db.deleteFrom("write_history").execute();
    // `--endpoint sandbox` is the demo repository of the sandbox the account points at.
    const r2 = await h.run("repository-to-worldcat", ["--endpoint", "sandbox", ...one.slice(2)]);
    const row = reportRows(r2.text("report.csv"))[0];
    expect([row.action, row.outcome]).toEqual(["found", "ok"]);
    expect(row.message).toMatch(/found \d+ by 035 \(OAI\)oai:repository\.example\.edu:123456789\/1002/);
    expect(creates()).toBe(1);
  });

  it("without a schedule, --from or --identifier is required; a bad profile names its line", async () => {
    h = await startHarness({ sandbox: { corpus: false } });
    const r = await h.run("repository-to-worldcat", ["--endpoint", endpoint()]);
    expect(r.process.status).toBe("FAILED");
    expect(r.log).toContain("--from is required without a schedule");
    const profile = h.file("bad.yaml", "version: 1\nleader:\n  encodingLevel: KK\n");
    const bad = await h.run(
      "repository-to-worldcat",
      ["--endpoint", endpoint(), "--from", "2026-01-01", "--profile", "bad.yaml"],
      {
        "bad.yaml": profile,
      },
    );
    expect(bad.process.status).toBe("FAILED");
    expect(bad.log).toContain("bad.yaml:3: leader.encodingLevel: must be one character");
    expect(creates()).toBe(0);
  });

  it("a --holding-code the account lacks is refused before a process exists; with a valid one the holding is set with it", async () => {
    h = await startHarness({ sandbox: { corpus: false } });
    const args = (code: string) => [
      "--endpoint",
      endpoint(),
      "--identifier",
      "oai:repository.example.edu:123456789/1002",
      "--holding-code",
      code,
    ];
    const before = (await h.engine.service.listProcesses()).total;
    const start = (listAccounts: boolean) =>
      h.engine.service.createProcess({
        script: "repository-to-worldcat",
        parameters: parseArgv(h.engine.scripts.require("repository-to-worldcat"), args("NOPE")),
        startedBy: { source: "rest" },
        listAccounts,
      });
    await expect(start(true)).rejects.toThrow(
      "--holding-code NOPE is not one of sandbox [SANDBOX]'s holding library codes (MAIN, OREA)",
    );
    await expect(start(false)).rejects.toThrow(
      /--holding-code NOPE is not one of sandbox \[SANDBOX\]'s holding library codes$/,
    );
    expect((await h.engine.service.listProcesses()).total).toBe(before);
    expect(creates()).toBe(0);

    const ok = await h.run("repository-to-worldcat", args("MAIN"));
    expect(ok.process.status).toBe("COMPLETED");
    expect(reportRows(ok.text("report.csv")).map((r) => [r.action, r.outcome, r.message])).toEqual([
      ["create", "ok", expect.stringContaining("holding set (MAIN)")],
    ]);
  });

  it("an interrupted run resumes without duplicates", async () => {
    h = await startHarness({ sandbox: { corpus: false, latencyMs: 20 }, account: { concurrency: 2 } });
    const p = await h.start("repository-to-worldcat", [
      "--endpoint",
      endpoint(),
      "--from",
      "2026-01-01",
      "--concurrency",
      "2",
    ]);
    await waitFor("10 creates", async () => (creates() >= 10 ? true : undefined));
    await h.engine.service.cancelProcess(p.id);
    const stopped = await h.wait(p.id, "CANCELLED", "COMPLETED");
    expect(stopped.process.status).toBe("CANCELLED");
    const before = creates();
    expect(before).toBeLessThan(63);
    const resumed = await h.run("repository-to-worldcat", [
      "--endpoint",
      endpoint(),
      "--from",
      "2026-01-01",
      "--resume",
      String(p.id),
    ]);
    expect(resumed.process.status).toBe("COMPLETED");
    expect(resumed.log).toContain(`resuming process ${p.id}: its harvest of 64 record(s)`);
    const rows = reportRows(resumed.text("report.csv"));
    expect(rows).toHaveLength(64);
    expect(rows.filter((r) => r.outcome === "ok")).toHaveLength(63);
    expect(creates()).toBe(63);
    expect(new Set(rows.filter((r) => r.current).map((r) => r.current)).size).toBe(63);
  });

  it("the schedule's watermark moves to the responseDate only when the process COMPLETED", async () => {
    h = await startHarness({ sandbox: { corpus: false } });
    const def = h.engine.scripts.get("repository-to-worldcat")!;
    const scheduled = async (argv: string[]) => {
      const p = await h.engine.service.createProcess({
        script: "repository-to-worldcat",
        parameters: parseArgv(def, argv),
        startedBy: { source: "schedule", schedule: "weekly-theses" },
      });
      return h.wait(p.id, "COMPLETED", "FAILED", "CANCELLED");
    };
    const state = async () => {
      const row = await getScheduleState(h.engine.store.db, "weekly-theses");
      return row?.state == null ? undefined : JSON.parse(row.state);
    };
    // First run: no watermark yet, so everything is harvested.
    const first = await scheduled(["--endpoint", endpoint()]);
    expect(first.process.status).toBe("COMPLETED");
    expect(first.log).toContain("(everything)");
    const mark = (await state())?.watermark;
    expect(mark).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // A failing run (the repository answers an error) leaves it where it was.
    const failed = await scheduled(["--endpoint", endpoint(), "--format", "mods"]);
    expect(failed.process.status).toBe("FAILED");
    expect(failed.log).toContain("cannotDisseminateFormat");
    expect((await state())?.watermark).toBe(mark);
    // The next run starts from it (the sample items are older: nothing to do, and that is a success).
    const next = await scheduled(["--endpoint", endpoint()]);
    expect(next.process.status).toBe("COMPLETED");
    expect(next.log).toContain(`from ${mark}`);
    expect(reportRows(next.text("report.csv"))).toHaveLength(0);
    expect(creates()).toBe(63);
  });

  it("update mode: replaces what is still ours, reports what another library changed, leaves equal records alone", async () => {
    h = await startHarness({ sandbox: { corpus: false } });
    const day = ["--endpoint", endpoint(), "--from", "2026-01-05", "--until", "2026-01-05"];
    const first = reportRows((await h.run("repository-to-worldcat", day)).text("report.csv"));
    expect(first.map((r) => [r.inputId, r.action])).toEqual([
      ["oai:repository.example.edu:123456789/1001", "create"],
      ["oai:repository.example.edu:123456789/1002", "create"],
    ]);
    // Another library edits the second record in WorldCat.
    const theirs = readBib(h.sandbox.state, Number(first[1].current)).record;
    const edited = theirs
      .replaceFields(
        "040",
        dataField("040", " ", " ", [
          ["a", "OCPSB"],
          ["b", "eng"],
          ["c", "OCPSB"],
          ["d", "OTHER"],
        ]),
      )
      .addOrderedField(dataField("500", " ", " ", [["a", "Edited elsewhere."]]));
    replaceBib(h.sandbox.state, edited, undefined, false);
    // The repository's data changes too (here: a shorter abstract through an edited profile).
    const profile = h.file(
      "short.yaml",
      readFileSync(BUILT_IN_PROFILE, "utf8").replace("abstractMaxLength: 1500", "abstractMaxLength: 100"),
    );
    const update = [...day, "--mode", "update", "--profile", "short.yaml"];
    const second = await h.run("repository-to-worldcat", update, { "short.yaml": profile });
    expect(second.process.status).toBe("COMPLETED");
    const rows = reportRows(second.text("report.csv"));
    expect(rows.map((r) => [r.action, r.outcome, r.errorCode])).toEqual([
      ["replace", "ok", ""],
      ["changed in WorldCat", "skipped", "CHANGED_IN_WORLDCAT"],
    ]);
    expect(rows[1].message).toContain("for a person to review; not replaced");
    expect(readBib(h.sandbox.state, Number(first[1].current)).record.get("500")).toBeDefined();
    const replaced = readBib(h.sandbox.state, Number(first[0].current)).record;
    const abstract = subfieldValues(replaced.get("520")!, "a")[0];
    expect(abstract.length).toBeLessThanOrEqual(100);
    expect(abstract).toMatch(/\.$/);
    // Run again: our own replace left the 005 we know, and the content is the same: nothing to do.
    const third = reportRows(
      (await h.run("repository-to-worldcat", update, { "short.yaml": profile })).text("report.csv"),
    );
    expect(third.map((r) => r.action)).toEqual(["unchanged", "changed in WorldCat"]);
    expect(creates()).toBe(2);
  });

  it("end to end through a schedule: run now harvests everything, the next run starts from the watermark", async () => {
    h = await startHarness({ sandbox: { corpus: false } });
    const schedules = openSchedules(h.engine).service;
    await schedules.create("weekly-theses", {
      script: "repository-to-worldcat",
      args: ["--endpoint", endpoint(), "--set", "col_123456789_3"],
      cron: "0 2 * * 1",
      timezone: "UTC",
    });
    const first = await h.wait((await schedules.runNow("weekly-theses")).id);
    expect(first.process.status).toBe("COMPLETED");
    expect(reportRows(first.text("report.csv")).filter((r) => r.action === "create")).toHaveLength(21);
    const stored = JSON.parse((await getScheduleState(h.engine.store.db, "weekly-theses"))!.state!);
    expect(stored).toEqual({ watermark: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const second = await h.wait((await schedules.runNow("weekly-theses")).id);
    expect(second.process.status).toBe("COMPLETED");
    expect(second.log).toContain(`from ${stored.watermark}`);
    expect(creates()).toBe(21);
  });
});

/**
 * The thesis sync's remaining promises (issue 11): a thesis the crosswalk cannot make valid (no title) is
 * reported with the field and never sent, while the rest of the harvest is created; the sample weekly schedule
 * shipped in docs/examples/weekly-theses.yaml loads and checks (its arguments through `run`'s parser) and the
 * doctor finds no error in it.
 */
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { runDoctor } from "../src/doctor/index.js";
import { openSchedules } from "../src/schedule/index.js";
import { fixtureRepository } from "./fixtures/oai/server.js";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("an invalid thesis is reported with the field and never sent; the valid one is created", async () => {
  const repo = await fixtureRepository((q) => {
    const verb = q.get("verb");
    if (verb === "Identify") return "dspace7-identify.xml";
    if (verb === "ListMetadataFormats") return "dspace7-formats.xml";
    return "dspace7-oai_dc-untitled.xml";
  });
  cleanups.push(() => repo.close());
  const h: Harness = await startHarness({ sandbox: { corpus: false } });
  cleanups.push(() => h.close());
  const run = await h.run("repository-to-worldcat", [
    "--endpoint",
    repo.url,
    "--format",
    "oai_dc",
    "--from",
    "2026-11-01",
  ]);
  expect(run.process.status).toBe("COMPLETED");
  expect(run.process).toMatchObject({ outcome: "errors" });
  const rows = reportRows(run.text("report.csv"));
  expect(rows.map((r) => [r.inputId, r.outcome, r.errorCode])).toEqual([
    ["oai:repository.example.edu:1234/7001", "ok", ""],
    ["oai:repository.example.edu:1234/7002", "failed", "INVALID_RECORD"],
  ]);
  expect(rows[1].message).toContain("field 245: the item has no title");
  expect(rows[1].message).toContain("not sent to WorldCat");
  expect(run.log).toContain("oai:repository.example.edu:1234/7002: not sent: field 245");
  // Only the valid thesis reached WorldCat.
  expect(h.sandbox.state.creations).toHaveLength(1);
  expect(run.text("repository-oclc-numbers.csv")).not.toContain("1234/7002");
}, 60_000);

it("the sample weekly schedule in docs/examples loads, checks and passes the doctor", async () => {
  const configPath = join(import.meta.dirname, "..", "docs", "examples", "weekly-theses.yaml");
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const config = await loadConfig({ configPath, dataDir: dir.dir, env: {} });
  const engine = await testEngine(dir.dir, { raw: config.raw, configPath });
  cleanups.push(() => engine.close());
  const schedule = await openSchedules(engine).service.get("weekly-theses");
  expect(schedule.definition).toMatchObject({
    script: "repository-to-worldcat",
    args: ["--endpoint", "sandbox"],
    cron: "0 2 * * 1",
    timezone: "Europe/Berlin",
    account: "sandbox",
    enabled: true,
  });
  expect(schedule.nextRuns.length).toBe(5);
  for (const t of schedule.nextRuns)
    expect(
      new Date(t).toLocaleString("en-GB", {
        timeZone: "Europe/Berlin",
        weekday: "long",
        hour: "2-digit",
        minute: "2-digit",
      }),
    ).toBe("Monday 02:00");
  const findings = await runDoctor(config, { env: {} });
  expect(findings.filter((f) => f.severity === "error")).toEqual([]);
});

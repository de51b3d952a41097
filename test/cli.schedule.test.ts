/**
 * The schedule commands as OS processes: a bad config schedule refused at load with file:line and the
 * parameter; `schedule add` refusing bad parameters with exit 2; `schedules --json`, `schedule next`,
 * `schedule run` and `process --json` showing the schedule; `triggers --json`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const SCRIPTS = join(import.meta.dirname, "fixtures", "schedule", "scripts.ts");
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(extra: string) {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const config = join(dir.dir, "config.yaml");
  await writeFile(config, `scriptModules: [${JSON.stringify(SCRIPTS)}]\n${extra}`);
  return { dir: dir.dir, args: ["--data-dir", join(dir.dir, "data"), "--config", config], config };
}

it("a bad schedule in the config is refused naming file:line, the key and the parameter", async () => {
  const { args, config } = await setup(
    [
      "schedules:",
      "  nightly:",
      "    script: takes-input",
      '    cron: "0 2 * * *"',
      '    args: ["--retries", "many"]',
      "",
    ].join("\n"),
  );
  const res = await cli(["schedules", ...args]);
  expect(res.code).toBe(1);
  expect(res.stderr).toContain(`${config}:6: schedules.nightly.args:`);
  expect(res.stderr).toContain("'--retries'");
});

it("schedule add / schedules / next / run, and the process shows its schedule", async () => {
  const { args } = await setup(
    [
      "triggers:",
      "  hook:",
      "    script: tick",
      "    auth: token",
      '    payload: { "--note": "/note" }',
      "",
    ].join("\n"),
  );
  const bad = await cli([
    "schedule",
    "add",
    "nightly",
    "--script",
    "tick",
    "--cron",
    "0 2 * * *",
    ...args,
    "--",
    "--nope",
    "1",
  ]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("unknown parameter '--nope'");
  const add = await cli([
    "schedule",
    "add",
    "nightly",
    "--script",
    "tick",
    "--cron",
    "0 2 * * *",
    "--timezone",
    "Europe/Berlin",
    ...args,
    "--",
    "--note",
    "hello",
  ]);
  expect(add.code, add.stderr).toBe(0);
  const list = JSON.parse((await cli(["schedules", "--json", ...args])).stdout);
  expect(list).toEqual([
    expect.objectContaining({ name: "retention", script: "process-cleaner", source: "builtin" }),
    expect.objectContaining({
      name: "nightly",
      script: "tick",
      cron: "0 2 * * *",
      timezone: "Europe/Berlin",
      enabled: true,
      lastProcess: null,
    }),
  ]);
  const next = await cli(["schedule", "next", "nightly", "--count", "3", ...args]);
  const times = next.stdout.trim().split("\n");
  expect(times).toHaveLength(3);
  for (const t of times)
    expect(new Date(t).toLocaleString("en-GB", { timeZone: "Europe/Berlin" })).toMatch(/02:00:00$/);
  const run = await cli(["schedule", "run", "nightly", ...args]);
  const id = /^process (\d+)$/m.exec(run.stdout)?.[1];
  expect(id, run.stderr).toBeDefined();
  const shown = JSON.parse((await cli(["process", String(id), "--json", ...args])).stdout);
  expect(shown).toMatchObject({
    startedBy: "schedule",
    schedule: "nightly",
    parameters: [{ name: "--note", value: "hello" }],
  });
  const triggers = JSON.parse((await cli(["triggers", "--json", ...args])).stdout);
  expect(triggers).toEqual([
    expect.objectContaining({ name: "hook", kind: "webhook", auth: "token", path: "/api/triggers/hook" }),
  ]);
  expect((await cli(["schedule", "disable", "nightly", ...args])).code).toBe(0);
  expect((await cli(["schedule", "remove", "nightly", ...args])).code).toBe(0);
  expect(
    JSON.parse((await cli(["schedules", "--json", ...args])).stdout).map((s: { name: string }) => s.name),
  ).toEqual(["retention"]);
}, 120_000);

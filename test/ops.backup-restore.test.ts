/**
 * Backup and restore (issue 16): a backup taken by the real `nightshift backup` while a 5,000-item batch runs
 * in a real `nightshift worker` and other clients write; restored by `nightshift restore` into a new
 * directory; every process, file and report read back exactly; the interrupted batch resumed from the
 * restored copy against the same sandbox ends with every number held. Damaged archives and non-empty
 * directories are refused, and the directory is left as it was.
 */

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { create as createTar, extract } from "tar";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Engine, openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { builtInScripts } from "../src/scripts/index.js";
import { worldcatServices } from "../src/worldcat/script-services.js";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { testConfig, waitFor } from "./fixtures/scripts/harness.js";
import { startCliWorker } from "./fixtures/worldcat-scripts/cli-worker.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

const N = 5000;
const numbers = Array.from({ length: N }, (_, i) => String(100_000_001 + 2 * i)); // odd: not held at start

let h: Harness;
let archive: string;
let restoredDir: string;
let batchId: number;

beforeAll(async () => {
  h = await startHarness({ dispatch: false, sandbox: { seed: 12_000, latencyMs: 4 } });
  const input = h.file("numbers.txt", `${numbers.join("\n")}\n`);
  // A finished process first: its files must come back byte for byte.
  const worker = await startCliWorker(h);
  const small = await h.start("worldcat-holdings", ["-a", "set", "-i", "small.txt", "--concurrency", "2"], {
    "small.txt": h.file("small.txt", "100000002\n100000004\nnot-a-number\n"),
  });
  await h.wait(small.id);
  const batch = await h.start("worldcat-holdings", ["-a", "set", "-i", "numbers.txt", "--concurrency", "2"], {
    "numbers.txt": input,
  });
  batchId = batch.id;
  await waitFor(
    "the batch to be well under way",
    async () => ((await h.engine.service.getProcess(batchId))?.progress?.done ?? 0) >= 300,
    60_000,
  );
  // Other clients keep writing while the backup runs.
  let writing = true;
  const writer = (async () => {
    let n = 0;
    while (writing && n < 200) {
      n++;
      await h.engine.service.createProcess({
        script: "process-cleaner",
        parameters: parseArgv(h.engine.scripts.require("process-cleaner"), ["--dry-run"]),
        startedBy: { source: "rest" },
        runAt: new Date(Date.now() + 86_400_000),
      });
    }
  })();
  archive = join(h.dir, "backups", "nightshift.tar.gz");
  const taken = await cli(["backup", "--to", archive, "--data-dir", h.config.dataDir, "--json"]);
  writing = false;
  await writer;
  expect(taken.stderr).toBe("");
  expect(taken.code).toBe(0);
  expect(JSON.parse(taken.stdout)).toMatchObject({ archive, dialect: "sqlite" });
  // The original goes down hard after the backup: the restored copy is all that is left of the batch.
  await worker.kill9();
  restoredDir = join(h.dir, "restored");
  const restored = await cli(["restore", archive, "--data-dir", restoredDir]);
  expect(restored.stderr).toBe("");
  expect(restored.code).toBe(0);
  expect(restored.stdout).toMatch(/restored \d+ files \(\d+ bytes, every SHA-256 checked\)/);
  expect(restored.stdout).toContain("1 process(es) were running when the backup was taken");
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function openRestored(): Promise<Engine> {
  const config = await testConfig(restoredDir, { accounts: h.config.accounts });
  return openEngine({ config, services: worldcatServices(config, h.env), builtInScripts });
}

it("every process, file and report of the backup reads back exactly from the restored copy", async () => {
  const engine = await openRestored();
  try {
    const restored = await engine.store.db.selectFrom("processes").selectAll().orderBy("id").execute();
    const files = await engine.store.db.selectFrom("process_files").selectAll().orderBy("id").execute();
    const manifest = JSON.parse(
      (await cli(["backup", "--to", join(h.dir, "second.tar.gz"), "--data-dir", restoredDir, "--json"]))
        .stdout,
    );
    expect(manifest.counts.processes).toBe(restored.length);
    expect(restored.length).toBeGreaterThanOrEqual(3);
    // Each recorded file: the bytes in the restored copy are the original's, and match the recorded hash.
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) {
      const copy = readFileSync(join(restoredDir, f.path));
      const live = readFileSync(join(h.config.dataDir, f.path));
      if (f.process_id === batchId) {
        // The batch ran on after the backup, its report listed while it ran (kept with each checkpoint):
        // the copy is what the report was then, at least what the copied row recorded as saved.
        expect(live.subarray(0, copy.length).equals(copy), f.path).toBe(true);
        expect(copy.length, f.path).toBeGreaterThanOrEqual(f.size ?? 0);
      } else expect(copy.equals(live), f.path).toBe(true);
      if (f.sha256 !== null || f.process_id !== batchId) expect(sha256(copy)).toBe(f.sha256);
    }
    // The rows are those of the original (the finished ones cannot have changed since).
    const original = await h.engine.store.db
      .selectFrom("processes")
      .selectAll()
      .where("status", "in", ["COMPLETED", "FAILED"])
      .orderBy("id")
      .execute();
    const finished = restored.filter((r) => r.status === "COMPLETED" || r.status === "FAILED");
    expect(finished).toEqual(original.filter((r) => finished.some((f) => f.id === r.id)));
    expect(finished.map((r) => r.script)).toContain("worldcat-holdings");
  } finally {
    await engine.close();
  }
});

it("the batch interrupted by the backup is resumed from the restored copy: every number held, each reported once", async () => {
  const engine = await openRestored();
  const dispatcher = engine.createDispatcher({ concurrency: 1 });
  try {
    await dispatcher.start();
    // Its worker exists only in the original: the restored copy's recovery fails it as lost at once.
    const lost = await waitFor("the interrupted batch to be failed as lost", async () => {
      const p = await engine.service.getProcess(batchId);
      return p?.status === "FAILED" ? p : undefined;
    });
    expect(lost.exitMessage).toMatch(/lost/);
    const def = engine.scripts.require("worldcat-holdings");
    const resumed = await engine.service.createProcess({
      script: "worldcat-holdings",
      parameters: parseArgv(def, [
        "-a",
        "set",
        "-i",
        "numbers.txt",
        "--concurrency",
        "2",
        "-r",
        String(batchId),
      ]),
      startedBy: { source: "cli" },
      uploads: [{ name: "numbers.txt", path: join(h.dir, "numbers.txt") }],
    });
    const done = await waitFor(
      "the resumed batch to end",
      async () => {
        const p = await engine.service.getProcess(resumed.id);
        return p && ["COMPLETED", "FAILED", "CANCELLED"].includes(p.status) ? p : undefined;
      },
      120_000,
    );
    expect(done.status).toBe("COMPLETED");
    const report = await engine.service.listFiles(resumed.id);
    const csv = report.find((f) => f.name === "report.csv");
    if (!csv) throw new Error("no report.csv");
    const rows = reportRows(readFileSync(join(restoredDir, csv.path), "utf8"));
    expect(rows.map((r) => r.inputId)).toEqual(numbers);
    expect(rows.filter((r) => r.outcome !== "ok" && r.outcome !== "skipped")).toEqual([]);
    const symbol = String((h.config.accounts.sandbox as { symbol: string }).symbol);
    expect(numbers.filter((n) => !h.sandbox.state.isHeld(symbol, Number(n)))).toEqual([]);
  } finally {
    await dispatcher.stop(2000);
    await engine.close();
  }
}, 180_000);

it("a damaged archive is refused and the directory left empty", async () => {
  const cut = join(h.dir, "cut.tar.gz");
  const whole = readFileSync(archive);
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  const target = join(h.dir, "from-cut");
  const r = await cli(["restore", cut, "--data-dir", target]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^nightshift restore: damaged archive .*cut\.tar\.gz: /);
  expect(readdirSync(target)).toEqual([]);

  // A file changed inside a well-formed archive: its SHA-256 gives it away.
  const unpacked = join(h.dir, "unpacked");
  await mkdir(unpacked);
  await extract({ file: archive, cwd: unpacked });
  const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
  const victim = manifest.files.find((f: { path: string }) => f.path.endsWith(".csv"));
  const bytes = readFileSync(join(unpacked, victim.path));
  bytes[0] ^= 1;
  writeFileSync(join(unpacked, victim.path), bytes);
  const tampered = join(h.dir, "tampered.tar.gz");
  await createTar({ gzip: true, cwd: unpacked, file: tampered }, readdirSync(unpacked));
  const target2 = join(h.dir, "from-tampered");
  const t = await cli(["restore", tampered, "--data-dir", target2]);
  expect(t.code).toBe(1);
  expect(t.stderr).toContain(`${victim.path} does not match its SHA-256 in the manifest`);
  expect(readdirSync(target2)).toEqual([]);

  // Not a backup at all.
  const foreign = join(h.dir, "foreign.tar.gz");
  await createTar({ gzip: true, cwd: h.dir, file: foreign }, ["numbers.txt"]);
  const f = await cli(["restore", foreign, "--data-dir", join(h.dir, "from-foreign")]);
  expect(f.code).toBe(1);
  expect(f.stderr).toContain("it has no manifest.json (not a Nightshift backup?)");
});

it("a restore into a directory that is not empty is refused and changes nothing", async () => {
  const r = await cli(["restore", archive, "--data-dir", restoredDir]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/is not empty \(\d+ entries\): restore only into an empty or new directory/);
  expect(existsSync(join(restoredDir, "manifest.json"))).toBe(false);
  const noDir = await cli(["restore", archive]);
  expect(noDir.code).toBe(2);
  expect(noDir.stderr).toContain("--data-dir DIR is needed");
});

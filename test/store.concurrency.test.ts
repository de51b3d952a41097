import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { parseArgv } from "../src/engine/parameters.js";
import { openSqliteStore } from "../src/store/index.js";
import { migrations } from "../src/store/sqlite/migrations.js";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";

const run = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("several OS processes creating and claiming on one SQLite file: no SQLITE_BUSY, no double claim", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const writer = join(import.meta.dirname, "fixtures", "scripts", "store-writer.ts");
  const children = await Promise.all(
    Array.from({ length: 4 }, () =>
      run(process.execPath, ["--import", "tsx", writer, dir.dir, "60"], { timeout: 60_000 }),
    ),
  );
  const results = children.map((c) => {
    expect(c.stderr).not.toMatch(/SQLITE_BUSY|database is (busy|locked)/i);
    return JSON.parse(c.stdout.trim().split("\n").pop() ?? "{}") as { created: number[]; ran: number[] };
  });
  const created = results.flatMap((r) => r.created).sort((a, b) => a - b);
  const ran = results.flatMap((r) => r.ran).sort((a, b) => a - b);
  expect(created).toHaveLength(240);
  expect(new Set(created).size).toBe(240);
  expect(ran).toEqual(created);
  const store = await openSqliteStore(dir.dir);
  cleanups.push(() => store.close());
  const rows = await store.db.selectFrom("processes").select(["status"]).execute();
  expect(rows.every((r) => r.status === "COMPLETED")).toBe(true);
});

it("many parallel createProcess calls in one OS process all land", async () => {
  const dir = await tempDir();
  const engine = await testEngine(dir.dir);
  cleanups.push(dir.cleanup, () => engine.close());
  const echo = engine.scripts.require("echo");
  const made = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      engine.service.createProcess({
        script: "echo",
        parameters: parseArgv(echo, ["-m", String(i)]),
        startedBy: { source: "rest" },
      }),
    ),
  );
  expect(new Set(made.map((p) => p.id)).size).toBe(300);
  expect((await engine.service.listProcesses()).total).toBe(300);
});

it("migrations run once and are recorded; reopening is a no-op", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const stores = await Promise.all([
    openSqliteStore(dir.dir),
    openSqliteStore(dir.dir),
    openSqliteStore(dir.dir),
  ]);
  const rows = await stores[0].db.selectFrom("migrations").selectAll().execute();
  expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(stores[0].db);
  expect(mode.rows[0].journal_mode).toBe("wal");
  for (const s of stores) await s.close();
});

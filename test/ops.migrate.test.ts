/**
 * Upgrades (issue 16): `migrate --status` lists applied and pending migrations and changes nothing; a
 * database that already holds data is copied beside itself before a migration; `serve`/`worker` refuse a
 * database written by a newer Nightshift with a clear message, changing nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyPending } from "../src/store/migration.js";
import { connectSqlite } from "../src/store/sqlite/connect.js";
import { openSqliteStore, sqliteFile } from "../src/store/sqlite/index.js";
import { migrations } from "../src/store/sqlite/migrations.js";
import { writeTransaction } from "../src/store/sqlite/transaction.js";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

let tmp: { dir: string; cleanup(): Promise<void> };
let dataDir: string;
beforeEach(async () => {
  tmp = await tempDir();
  dataDir = join(tmp.dir, "data");
});
afterEach(() => tmp.cleanup());

const latest = migrations[migrations.length - 1].version;
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** A database at an older schema (all but the last migration), holding one process. */
async function olderDatabase(): Promise<void> {
  const db = await connectSqlite(sqliteFile(dataDir));
  await sql`create table migrations (version integer primary key, name text not null, applied_at text not null)`.execute(
    db,
  );
  await writeTransaction(db, (tx) => applyPending(tx, migrations.slice(0, -1), Date.now));
  await sql`insert into processes (script, started_by, status, priority, run_at, created_at)
    values ('marc-validate', 'cli', 'COMPLETED', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`.execute(
    db,
  );
  await db.destroy();
}

const schemaOf = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      version: (db.prepare("select max(version) as v from migrations").get() as { v: number }).v,
      processes: (db.prepare("select count(*) as n from processes").get() as { n: number }).n,
      tables: db.prepare("select name, sql from sqlite_master order by name").all(),
    };
  } finally {
    db.close();
  }
};

it("--version prints the package's version", async () => {
  const r = await cli(["--version"]);
  expect(r.stdout).toBe(`nightshift ${pkg.version}\n`);
});

it("migrate --status lists applied and pending migrations and changes nothing; migrate applies them after a copy", {
  timeout: 180_000,
}, async () => {
  await olderDatabase();
  const before = schemaOf(sqliteFile(dataDir));
  expect(before.version).toBe(latest - 1);

  const status = await cli(["migrate", "--status", "--data-dir", dataDir]);
  expect(status.code).toBe(0);
  const lines = status.stdout.trimEnd().split("\n");
  expect(lines).toHaveLength(latest + 1);
  expect(lines[0]).toMatch(/^ {3}1 {2}applied {2}\S+Z {2}processes, process files, workers$/);
  const lastName = String(migrations.at(-1)?.name).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  expect(lines[latest - 1]).toMatch(new RegExp(`^ *${latest} {2}pending  +${lastName}$`));
  expect(lines[latest]).toBe(`sqlite: schema ${latest - 1} of ${latest}; 1 pending`);
  const json = JSON.parse((await cli(["migrate", "--status", "--json", "--data-dir", dataDir])).stdout);
  expect(json.migrations.map((m: { state: string }) => m.state)).toEqual([
    ...Array(latest - 1).fill("applied"),
    "pending",
  ]);
  expect(schemaOf(sqliteFile(dataDir))).toEqual(before);
  expect(readdirSync(dataDir).filter((n) => n.endsWith(".bak"))).toEqual([]);

  const applied = await cli(["migrate", "--data-dir", dataDir]);
  expect(applied.code).toBe(0);
  expect(applied.stdout.trimEnd().split("\n").at(-1)).toBe(`sqlite: schema ${latest}; 1 applied now`);
  expect(schemaOf(sqliteFile(dataDir)).version).toBe(latest);
  // The copy kept beside it is the database as it was before, data and all.
  const copies = readdirSync(dataDir).filter((n) => n.endsWith(".bak"));
  expect(copies).toHaveLength(1);
  expect(copies[0]).toMatch(
    new RegExp(`^nightshift\\.db\\.before-v${latest}\\.\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.bak$`),
  );
  expect(schemaOf(join(dataDir, copies[0]))).toEqual(before);
});

it("a new database is not copied (nothing to lose), and an up-to-date one is not copied again", async () => {
  const store = await openSqliteStore(dataDir);
  await store.close();
  const again = await openSqliteStore(dataDir);
  await again.close();
  expect(readdirSync(dataDir).filter((n) => n.endsWith(".bak"))).toEqual([]);
});

it("serve and worker refuse a database written by a newer Nightshift, changing nothing", {
  timeout: 180_000,
}, async () => {
  const store = await openSqliteStore(dataDir);
  await store.write((db) =>
    db
      .insertInto("migrations")
      .values({ version: latest + 1, name: "from the future", applied_at: "2027-01-01T00:00:00.000Z" })
      .execute(),
  );
  await store.close();
  const before = schemaOf(sqliteFile(dataDir));
  for (const command of ["worker", "serve"]) {
    const r = await cli([command, "--data-dir", dataDir, ...(command === "serve" ? ["--port", "0"] : [])]);
    expect(r.code, command).toBe(1);
    expect(r.stderr).toContain(
      `the database was written by a newer Nightshift (schema version ${latest + 1}; this one knows up to ${latest}): nothing was changed`,
    );
  }
  const status = await cli(["migrate", "--status", "--data-dir", dataDir]);
  expect(status.code).toBe(1);
  expect(status.stdout).toContain(`${latest + 1}  applied`);
  expect(status.stdout).toContain("(from a newer Nightshift)");
  expect(schemaOf(sqliteFile(dataDir))).toEqual(before);
  expect(readdirSync(dataDir).filter((n) => n.endsWith(".bak"))).toEqual([]);
});

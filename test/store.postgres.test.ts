import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { openStore, type Store } from "../src/store/index.js";
import { openPostgresStore } from "../src/store/postgres/index.js";
import { migrations as pgMigrations } from "../src/store/postgres/migrations.js";
import { claimProcesses } from "../src/store/queries/claim-processes.js";
import { finishProcess } from "../src/store/queries/finish-process.js";
import { insertProcess, type NewProcess } from "../src/store/queries/insert-process.js";
import { requestCancel } from "../src/store/queries/request-cancel.js";
import { openSqliteStore, sqliteFile } from "../src/store/sqlite/index.js";
import { migrations as sqliteMigrations } from "../src/store/sqlite/migrations.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { transcript } from "./fixtures/postgres/transcript.js";
import { tempDir, waitFor } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const { cleanups } = pg;

async function pgStore(url?: string): Promise<Store> {
  const store = await openPostgresStore(url ?? (await pg.server.database()));
  cleanups.push(() => store.close());
  return store;
}

async function sqliteStore(): Promise<{ store: Store; dir: string }> {
  const dir = await tempDir();
  const store = await openSqliteStore(dir.dir);
  cleanups.push(dir.cleanup, () => store.close());
  return { store, dir: dir.dir };
}

it("every query answers on PostgreSQL exactly what it answers on SQLite", async () => {
  const onSqlite = await transcript((await sqliteStore()).store);
  const onPostgres = await transcript(await pgStore());
  // The scenario reaches every branch it is meant to (a guard that passes everything would show here).
  expect(onSqlite.claimNone).toEqual([]);
  expect((onSqlite.claimA as { id: number }[]).map((r) => r.id)).toEqual([6, 1, 5]);
  expect(onSqlite.finishWrongWorker).toBeUndefined();
  expect(onSqlite.duplicateName).toBe("refused");
  expect(onSqlite.deleteRunning).toBe(false);
  expect(Object.keys(onPostgres)).toEqual(Object.keys(onSqlite));
  for (const key of Object.keys(onSqlite)) expect(onPostgres[key], key).toEqual(onSqlite[key]);
});

it("migrations make the same tables, columns and indexes as SQLite's, once, whoever opens first", async () => {
  expect(pgMigrations.map((m) => [m.version, m.name])).toEqual(
    sqliteMigrations.map((m) => [m.version, m.name]),
  );
  const url = await pg.server.database();
  const stores = await Promise.all([pgStore(url), pgStore(url), pgStore(url)]);
  const applied = await stores[0].db.selectFrom("migrations").select("version").orderBy("version").execute();
  expect(applied.map((r) => r.version)).toEqual(pgMigrations.map((m) => m.version));

  const { dir } = await sqliteStore();
  const lite = new BetterSqlite3(sqliteFile(dir), { readonly: true });
  cleanups.push(async () => lite.close());
  const liteTables = lite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    .all() as { name: string }[];
  const liteColumns = liteTables.flatMap(({ name }) =>
    (lite.prepare(`pragma table_info(${name})`).all() as { name: string; notnull: number; pk: number }[]).map(
      (c) => `${name}.${c.name} ${c.notnull || c.pk ? "not null" : "null"}`,
    ),
  );
  const liteIndexes = (
    lite.prepare("select name from sqlite_master where type = 'index' and sql is not null").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  const pgColumns = await sql<{ c: string }>`select table_name || '.' || column_name || ' ' ||
      case when is_nullable = 'NO' then 'not null' else 'null' end as c
    from information_schema.columns where table_schema = current_schema()`.execute(stores[0].db);
  const pgIndexes = await sql<{ name: string }>`select indexname as name from pg_indexes
    where schemaname = current_schema() and indexname not like '%_pkey' and indexname not like '%_key'`.execute(
    stores[0].db,
  );
  expect(pgColumns.rows.map((r) => r.c).sort()).toEqual(liteColumns.sort());
  expect(pgIndexes.rows.map((r) => r.name).sort()).toEqual(liteIndexes.sort());
});

it("concurrent claimers on one database never claim a process twice, and a singleton never runs twice at once", async () => {
  const url = await pg.server.database();
  const stores = await Promise.all(Array.from({ length: 6 }, () => pgStore(url)));
  // A detector, in the database itself: a second RUNNING `single` makes the claim that causes it fail.
  await sql`create unique index one_single on processes (script) where status = 'RUNNING' and script = 'single'`.execute(
    stores[0].db,
  );
  const scripts = ["single", "a", "b", "single", "a"];
  await stores[0].write(async (db) => {
    for (let i = 0; i < 150; i++) {
      const at = new Date(Date.UTC(2030, 0, 1) + i).toISOString();
      await insertProcess(db, {
        script: scripts[i % scripts.length],
        parameters: "[]",
        paramValues: "{}",
        secretKeys: null,
        startedBy: "cli",
        userId: null,
        account: null,
        status: "SCHEDULED",
        priority: 0,
        runAt: at,
        createdAt: at,
        workerId: null,
        resumedFrom: null,
      });
    }
  });
  const limits = new Map<string, number | undefined>([
    ["single", 1],
    ["a", undefined],
    ["b", undefined],
  ]);
  const claimed: number[] = [];
  const now = "2031-01-01T00:00:00.000Z";
  await Promise.all(
    stores.map(async (store, w) => {
      for (let idle = 0; idle < 20; ) {
        const rows = await store.write((db) =>
          claimProcesses(db, { workerId: `w${w}`, now, leaseExpiresAt: now, max: 3, scripts: limits }),
        );
        idle = rows.length ? 0 : idle + 1;
        for (const row of rows) {
          claimed.push(row.id);
          expect(row.worker_id).toBe(`w${w}`);
          await store.write((db) =>
            finishProcess(db, {
              id: row.id,
              workerId: `w${w}`,
              status: "COMPLETED",
              finishedAt: now,
              exitMessage: null,
            }),
          );
        }
      }
    }),
  );
  expect(claimed).toHaveLength(150);
  expect(new Set(claimed).size).toBe(150);
  const left = await stores[0].db
    .selectFrom("processes")
    .select("id")
    .where("status", "!=", "COMPLETED")
    .execute();
  expect(left).toEqual([]);
});

it("a cancel racing a claim waits for it and asks the now RUNNING process to stop (never CANCELLED under a worker)", async () => {
  const url = await pg.server.database();
  const [a, b] = await Promise.all([pgStore(url), pgStore(url)]);
  const now = "2030-01-01T00:00:00.000Z";
  const scheduled: NewProcess = {
    script: "a",
    parameters: "[]",
    paramValues: "{}",
    secretKeys: null,
    startedBy: "cli",
    userId: null,
    account: null,
    status: "SCHEDULED",
    priority: 0,
    runAt: now,
    createdAt: now,
    workerId: null,
    resumedFrom: null,
  };
  const { id } = await a.write((db) => insertProcess(db, scheduled));
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let claimed = () => {};
  const inClaim = new Promise<void>((resolve) => {
    claimed = resolve;
  });
  const claim = a.write(async (db) => {
    const rows = await claimProcesses(db, {
      workerId: "w1",
      now,
      leaseExpiresAt: now,
      max: 1,
      scripts: new Map([["a", undefined]]),
    });
    claimed();
    await held; // the claim's transaction stays open, its row locked
    return rows;
  });
  await inClaim;
  const cancel = b.write((db) => requestCancel(db, id, now));
  await waitFor("the cancel to wait for the claim's row lock", async () => {
    const r = await sql<{ n: number }>`select count(*) as n from pg_locks where not granted`.execute(a.db);
    return Number(r.rows[0].n) > 0;
  });
  release();
  expect((await claim).map((r) => r.id)).toEqual([id]);
  const result = await cancel;
  expect(result?.previous).toBe("RUNNING");
  expect(result?.row).toMatchObject({ status: "RUNNING", worker_id: "w1", cancel_requested: 1 });
});

it("NIGHTSHIFT_DATABASE_URL (or databaseUrl in the file) selects PostgreSQL; without it, SQLite", async () => {
  const url = await pg.server.database();
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const config = await loadConfig({ dataDir: dir.dir, env: { NIGHTSHIFT_DATABASE_URL: url } });
  expect(config.databaseUrl).toBe(url);
  const store = await openStore(config);
  cleanups.push(() => store.close());
  expect(store.dialect).toBe("postgres");
  expect((await sql<{ v: string }>`select version() as v`.execute(store.db)).rows[0].v).toMatch(
    /^PostgreSQL/,
  );
  const plain = await loadConfig({ dataDir: dir.dir, env: {} });
  expect(plain.databaseUrl).toBeUndefined();
  const lite = await openStore(plain);
  cleanups.push(() => lite.close());
  expect(lite.dialect).toBe("sqlite");
  // A wrong URL is refused by name, without echoing it (it holds a password).
  await expect(
    loadConfig({ dataDir: dir.dir, env: { NIGHTSHIFT_DATABASE_URL: "mysql://u:hunter2@h/db" } }),
  ).rejects.toThrow(/^NIGHTSHIFT_DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL$/);
  await expect(
    loadConfig({ dataDir: dir.dir, env: { NIGHTSHIFT_DATABASE_URL: "mysql://u:hunter2@h/db" } }),
  ).rejects.not.toThrow(/hunter2/);
});

it("stop ends the PostgreSQL server process", async () => {
  const { pid } = pg.server;
  expect(pid).toBeGreaterThan(0);
  expect(() => process.kill(pid, 0)).not.toThrow();
  await pg.server.stop();
  expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
});

import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, expect, it } from "vitest";
import { toProcessRecord } from "../src/engine/process-record.js";
import { getProcess } from "../src/store/queries/get-process.js";
import { insertProcess } from "../src/store/queries/insert-process.js";
import { listProcesses, type ProcessFilter } from "../src/store/queries/list-processes.js";
import { PROCESS_SUMMARY_COLUMNS, type Schema } from "../src/store/schema.js";
import { openSqliteStore, sqliteFile } from "../src/store/sqlite/index.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A migrated store with `n` finished processes, and a second handle that records the SQL it runs. */
async function seeded(n: number) {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const store = await openSqliteStore(dir.dir);
  cleanups.push(() => store.close());
  await store.write(async (db) => {
    for (let i = 0; i < n; i++) {
      const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, i + s)).toISOString();
      const row = await insertProcess(db, {
        script: i % 2 ? "a" : "b",
        parameters: JSON.stringify([{ name: "--n", value: String(i) }]),
        paramValues: JSON.stringify({ n: i }),
        secretKeys: null,
        startedBy: "rest",
        userId: `u${i % 3}`,
        account: null,
        status: "COMPLETED",
        priority: 0,
        runAt: at(0),
        createdAt: at(0),
        workerId: null,
        resumedFrom: null,
      });
      await db
        .updateTable("processes")
        .set({ started_at: at(1), finished_at: at(2), result: '{"ok":true}', checkpoint: '{"big":1}' })
        .where("id", "=", row.id)
        .execute();
    }
  });
  const queries: { sql: string; parameters: readonly unknown[] }[] = [];
  const raw = new BetterSqlite3(sqliteFile(dir.dir));
  const logged = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: raw }),
    log: (e) => {
      queries.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
  });
  cleanups.push(() => logged.destroy());
  const plan = (q: { sql: string; parameters: readonly unknown[] }) =>
    (raw.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[])
      .map((r) => r.detail)
      .join(" | ");
  return { store, logged, queries, plan };
}

it("lists read the summary columns only, and give the same records as reading one process", async () => {
  const { store } = await seeded(5);
  const { rows, total } = await listProcesses(store.db, { size: 3 });
  expect(total).toBe(5);
  expect(rows.map((r) => r.id)).toEqual([5, 4, 3]);
  for (const row of rows) {
    expect(Object.keys(row).sort()).toEqual([...PROCESS_SUMMARY_COLUMNS].sort());
    const full = await getProcess(store.db, row.id);
    expect(full?.checkpoint).toBe('{"big":1}');
    expect(toProcessRecord(row)).toEqual(toProcessRecord(full ?? row));
  }
});

it("every sort of the API, and a user's own list, pages through an index, never by sorting the whole table", async () => {
  const { logged, queries, plan } = await seeded(30);
  const sorts: ProcessFilter["sort"][] = [
    undefined,
    { field: "id", direction: "asc" },
    { field: "created_at", direction: "desc" },
    { field: "started_at", direction: "desc" },
    { field: "started_at", direction: "asc" },
    { field: "finished_at", direction: "desc" },
    { field: "finished_at", direction: "asc" },
  ];
  const filters: { filter: ProcessFilter; total: number }[] = [
    ...sorts.map((sort) => ({ filter: { sort }, total: 30 })),
    { filter: { userId: "u1" }, total: 10 },
    { filter: { userId: "u1", sort: { field: "created_at", direction: "asc" } }, total: 10 },
  ];
  for (const { filter, total } of filters) {
    queries.length = 0;
    const page = await listProcesses(logged, { ...filter, page: 0, size: 5 });
    expect(page.rows).toHaveLength(5);
    expect(page.total).toBe(total);
    const [list, count] = queries;
    expect(list.sql).toMatch(/order by/);
    expect(plan(list), JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
    expect(plan(count)).toMatch(/COVERING INDEX/);
  }
  // The tie-break keeps pages stable: ascending start time is ascending id here.
  const asc = await listProcesses(logged, { sort: { field: "started_at", direction: "asc" }, size: 30 });
  expect(asc.rows.map((r) => r.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
});

it("a page that is not full gives the total without a count; a full page or one past the end is counted", async () => {
  const { logged, queries } = await seeded(7);
  const cases: { filter: ProcessFilter; ids: number[]; total: number; counted: boolean }[] = [
    { filter: { page: 0, size: 20 }, ids: [7, 6, 5, 4, 3, 2, 1], total: 7, counted: false },
    { filter: { page: 1, size: 3 }, ids: [4, 3, 2], total: 7, counted: true },
    { filter: { page: 2, size: 3 }, ids: [1], total: 7, counted: false },
    { filter: { page: 3, size: 3 }, ids: [], total: 7, counted: true },
    { filter: { page: 0, size: 7 }, ids: [7, 6, 5, 4, 3, 2, 1], total: 7, counted: true },
    { filter: { page: 0, size: 5, userId: "u1" }, ids: [5, 2], total: 2, counted: false },
    { filter: { page: 0, size: 5, userId: "nobody" }, ids: [], total: 0, counted: false },
    { filter: { page: 1, size: 1, userId: "u1" }, ids: [2], total: 2, counted: true },
  ];
  for (const { filter, ids, total, counted } of cases) {
    queries.length = 0;
    const page = await listProcesses(logged, filter);
    expect(
      page.rows.map((r) => r.id),
      JSON.stringify(filter),
    ).toEqual(ids);
    expect(page.total, JSON.stringify(filter)).toBe(total);
    expect(queries.length, JSON.stringify(filter)).toBe(counted ? 2 : 1);
  }
});

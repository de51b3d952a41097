import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type Generated, Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { cachingDatabase } from "../src/store/sqlite/statement-cache.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function database() {
  const dir = await tempDir();
  const raw = new BetterSqlite3(join(dir.dir, "t.db"));
  cleanups.push(dir.cleanup, () => raw.open && raw.close());
  raw.exec("create table t (id integer primary key, v text)");
  raw.exec("insert into t (v) values ('a'), ('b'), ('c')");
  return raw;
}

it("prepares each SQL text once and hands the same statement out again", async () => {
  const raw = await database();
  const db = cachingDatabase(raw);
  const first = db.prepare("select v from t where id = ?");
  expect(first.all([2])).toEqual([{ v: "b" }]);
  expect(db.prepare("select v from t where id = ?")).toBe(first);
  expect(first.all([3])).toEqual([{ v: "c" }]);
  expect(db.prepare("select v from t where id > ?")).not.toBe(first);
  expect(db.cachedStatements).toBe(2);
});

it("keeps at most `max` statements, dropping the least recently used", async () => {
  const raw = await database();
  const db = cachingDatabase(raw, 2);
  const a = db.prepare("select 1");
  const b = db.prepare("select 2");
  expect(db.prepare("select 1")).toBe(a); // now b is the least recently used
  db.prepare("select 3");
  expect(db.cachedStatements).toBe(2);
  expect(db.prepare("select 1")).toBe(a);
  expect(db.prepare("select 2")).not.toBe(b);
});

it("a statement still iterating is not handed out twice: the second caller gets a fresh one", async () => {
  const raw = await database();
  const db = cachingDatabase(raw);
  const streaming = db.prepare("select v from t order by id");
  const it1 = streaming.iterate([]);
  expect(it1.next().value).toEqual({ v: "a" });
  const second = db.prepare("select v from t order by id");
  expect(second).not.toBe(streaming);
  expect(second.all([])).toHaveLength(3);
  expect([...it1]).toEqual([{ v: "b" }, { v: "c" }]);
  expect(db.prepare("select v from t order by id")).toBe(streaming); // done iterating: cached again
});

it("through Kysely: a stream left early, plain queries on the same SQL, writes, a schema change, close", async () => {
  const raw = await database();
  const cached = cachingDatabase(raw);
  const kysely = new Kysely<{ t: { id: Generated<number>; v: string } }>({
    dialect: new SqliteDialect({ database: cached }),
  });
  const query = kysely.selectFrom("t").select("v").orderBy("id");
  for await (const row of query.stream()) {
    expect(row.v).toBe("a");
    break; // the statement is reset, so the cached one is usable again
  }
  expect((await query.execute()).map((r) => r.v)).toEqual(["a", "b", "c"]);
  expect(cached.cachedStatements).toBe(1);
  for (const v of ["d", "e"]) await kysely.insertInto("t").values({ v }).execute();
  const all = sql<Record<string, unknown>>`select * from t where id = ${1}`;
  expect((await all.execute(kysely)).rows).toEqual([{ id: 1, v: "a" }]);
  await sql`alter table t add column w text default 'x'`.execute(kysely);
  // The cached `select *` statement sees the new column (SQLite re-prepares it after a schema change).
  expect((await all.execute(kysely)).rows).toEqual([{ id: 1, v: "a", w: "x" }]);
  expect((await query.execute()).map((r) => r.v)).toEqual(["a", "b", "c", "d", "e"]);
  await kysely.destroy();
  expect(raw.open).toBe(false);
  expect(cached.cachedStatements).toBe(0);
});

it("a column added by another connection shows in rows of a cached `select *`", async () => {
  const raw = await database();
  const db = cachingDatabase(raw);
  const all = db.prepare("select * from t where id = ?");
  expect(all.all([1])).toEqual([{ id: 1, v: "a" }]);
  const other = new BetterSqlite3(raw.name);
  other.exec("alter table t add column w text default 'x'");
  other.close();
  expect(db.prepare("select * from t where id = ?")).toBe(all);
  expect(all.all([1])).toEqual([{ id: 1, v: "a", w: "x" }]);
  expect([...all.iterate([2])]).toEqual([{ id: 2, v: "b", w: "x" }]);
});

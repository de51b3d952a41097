import BetterSqlite3 from "better-sqlite3";
import fc from "fast-check";
import { afterEach, expect, it } from "vitest";
import { rowBuilder } from "../src/store/sqlite/row-builder.js";
import { cachingDatabase } from "../src/store/sqlite/statement-cache.js";

const open: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function memory(): BetterSqlite3.Database {
  const db = new BetterSqlite3(":memory:");
  open.push(db);
  return db;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** What better-sqlite3 itself returns, and what the cached statement returns, for the same query. */
function both(sql: string, parameters: unknown[]) {
  const db = memory();
  const native = db.prepare(sql).all(parameters) as object[];
  const cached = cachingDatabase(db).prepare(sql).all(parameters) as object[];
  return { native, cached };
}

it("builds the same objects as better-sqlite3 for any column names: order, duplicates, odd characters", () => {
  const name = fc.oneof(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.constantFrom("id", "0", "12", "constructor", "toString", 'a"b', "\\", "\u2028", "ü", "__proto__"),
  );
  const value = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double({ noNaN: true }));
  fc.assert(
    fc.property(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 8 }), (columns) => {
      const sql = `select ${columns.map(([n]) => `? as ${quote(n)}`).join(", ")}`;
      const { native, cached } = both(
        sql,
        columns.map(([, v]) => v),
      );
      expect(cached).toHaveLength(1);
      expect(Object.entries(cached[0])).toEqual(Object.entries(native[0]));
      expect(Object.getPrototypeOf(cached[0])).toBe(Object.getPrototypeOf(native[0]));
    }),
    { numRuns: 200 },
  );
});

it("a literal builder and the fallback for `__proto__` both let the last duplicate win", () => {
  expect(rowBuilder(["a", "b", "a"])([1, 2, 3])).toEqual({ a: 3, b: 2 });
  const odd = rowBuilder(["__proto__", "x", "x"])(["s", 1, 2]);
  expect(Object.keys(odd)).toEqual(["x"]);
  expect(odd.x).toBe(2);
  expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
});

it("blobs, big tables and `returning` rows come back as better-sqlite3 gives them", () => {
  const db = memory();
  db.exec("create table t (id integer primary key, b blob, s text)");
  const cached = cachingDatabase(db);
  const inserted = cached
    .prepare("insert into t (b, s) values (?, ?) returning *")
    .all([Buffer.from([1, 2]), "x"]);
  expect(inserted).toEqual([{ id: 1, b: Buffer.from([1, 2]), s: "x" }]);
  const many = cached.prepare(
    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000) select i, i * 2 as j from n",
  );
  const rows = many.all([]) as { i: number; j: number }[];
  expect(rows).toHaveLength(1000);
  expect(rows[999]).toEqual({ i: 1000, j: 2000 });
  expect(db.prepare(`select * from t`).all()).toEqual(cached.prepare("select * from t").all([]));
});

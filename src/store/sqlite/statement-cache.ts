import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import { type RowBuilder, rowBuilder } from "./row-builder.js";

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists of varying length make new texts, so it is bounded. */
export const STATEMENT_CACHE_SIZE = 200;

/** Statements that change the schema: they empty the cache, whose column names could be stale after them. */
const DDL = /^\s*(create|alter|drop)\b/i;

/**
 * A prepared statement kept for reuse. Readers run in raw mode and build their row objects in JS (see
 * row-builder.ts); the column names are read once, and again when a row's length shows they changed.
 */
class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  #build: RowBuilder = () => ({});
  #width = -1;

  constructor(readonly statement: BetterSqlite3.Statement) {
    this.reader = statement.reader;
    if (this.reader) statement.raw(true);
  }

  #row(values: unknown[]): Record<string, unknown> {
    // First use, or the schema changed under a cached `select *` (another process migrated): read the names.
    if (values.length !== this.#width) {
      const names = this.statement.columns().map((c) => c.name);
      this.#build = rowBuilder(names);
      this.#width = names.length;
    }
    return this.#build(values);
  }

  all(parameters: readonly unknown[]): unknown[] {
    const rows = this.statement.all(parameters) as unknown[][];
    return rows.map((values) => this.#row(values));
  }

  run(parameters: readonly unknown[]) {
    return this.statement.run(parameters);
  }

  *iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    for (const values of this.statement.iterate(parameters)) yield this.#row(values as unknown[]);
  }
}

/**
 * Wraps a better-sqlite3 database for Kysely's SqliteDialect so that each SQL text is prepared once.
 * Kysely calls `prepare` for every query, and preparing costs about as much as running a small query.
 * Least recently used statements are dropped (better-sqlite3 finalizes them when collected). A cached
 * statement that is still iterating (a streamed query) is never handed out twice: such a caller gets a
 * fresh one.
 *
 * ```ts
 * new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingDatabase(new BetterSqlite3(file)) }) });
 * ```
 */
export function cachingDatabase(
  database: BetterSqlite3.Database,
  max = STATEMENT_CACHE_SIZE,
): SqliteDatabase & { readonly cachedStatements: number } {
  const cache = new Map<string, CachedStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached !== undefined) {
        if (cached.statement.busy) return database.prepare(sql);
        // Re-insert: a Map iterates in insertion order, so its first key is the least recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      if (DDL.test(sql)) {
        cache.clear();
        return database.prepare(sql);
      }
      const statement = new CachedStatement(database.prepare(sql));
      cache.set(sql, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    close(): void {
      cache.clear();
      database.close();
    },
    get cachedStatements() {
      return cache.size;
    },
  };
}

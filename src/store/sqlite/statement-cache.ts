import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists of varying length make new texts, so it is bounded. */
export const STATEMENT_CACHE_SIZE = 200;

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
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached !== undefined) {
        if (cached.busy) return database.prepare(sql);
        // Re-insert: a Map iterates in insertion order, so its first key is the least recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
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

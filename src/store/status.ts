import { existsSync } from "node:fs";
import type { StoreLocation } from "./index.js";
import { type MigrationStatus, migrationStatus } from "./migration.js";
import { sqliteFile } from "./sqlite/index.js";
import type { StoreDialect } from "./store.js";

export interface StoreStatus {
  readonly dialect: StoreDialect;
  /** Applied (with `appliedAt`) and pending migrations, by version. */
  readonly migrations: readonly MigrationStatus[];
  /** The newest migration this build knows. */
  readonly known: number;
  /** The highest version applied to the database (0: none). */
  readonly current: number;
}

/**
 * Reads which migrations a database has and which this build would apply, without applying any (and without
 * creating a database that does not exist yet).
 */
export async function readStoreStatus(location: StoreLocation): Promise<StoreStatus> {
  if (location.databaseUrl) {
    const { connectPostgres } = await import("./postgres/connect.js");
    const { migrations } = await import("./postgres/migrations.js");
    const db = connectPostgres(location.databaseUrl, { maxConnections: 1 });
    try {
      return summarise("postgres", await migrationStatus(db, migrations), migrations);
    } finally {
      await db.destroy();
    }
  }
  const { migrations } = await import("./sqlite/migrations.js");
  const file = sqliteFile(location.dataDir);
  if (!existsSync(file))
    return summarise(
      "sqlite",
      migrations.map(({ version, name }) => ({ version, name })),
      migrations,
    );
  const { connectSqlite } = await import("./sqlite/connect.js");
  const db = await connectSqlite(file);
  try {
    return summarise("sqlite", await migrationStatus(db, migrations), migrations);
  } finally {
    await db.destroy();
  }
}

function summarise(
  dialect: StoreDialect,
  rows: readonly MigrationStatus[],
  known: readonly { version: number }[],
): StoreStatus {
  const applied = rows.filter((r) => r.appliedAt !== undefined).map((r) => r.version);
  return {
    dialect,
    migrations: rows,
    known: known[known.length - 1].version,
    current: applied.length ? Math.max(...applied) : 0,
  };
}

/** What both dialects' migrations share: the shape of one migration and how pending ones are applied. */
import { StoreVersionError } from "./errors.js";
import { type Db, isoTime } from "./store.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Db): Promise<void>;
}

/** Called inside the migration transaction before the first pending migration runs (not when none is). */
export type BeforeMigrate = (current: number, pending: readonly Migration[]) => Promise<void>;

/** One row of `migrate --status`. */
export interface MigrationStatus {
  readonly version: number;
  readonly name: string;
  /** When it was applied to this database; absent while pending. */
  readonly appliedAt?: string;
}

/** Applied migrations (from the table; a newer build's rows included) and the pending ones of this build. */
export async function migrationStatus(db: Db, migrations: readonly Migration[]): Promise<MigrationStatus[]> {
  const rows = await db
    .selectFrom("migrations")
    .select(["version", "name", "applied_at"])
    .orderBy("version")
    .execute()
    .catch(() => []); // a database never migrated has no table yet
  const applied = new Map(rows.map((r) => [Number(r.version), r]));
  const out: MigrationStatus[] = rows.map((r) => ({
    version: Number(r.version),
    name: r.name,
    appliedAt: r.applied_at,
  }));
  for (const m of migrations) if (!applied.has(m.version)) out.push({ version: m.version, name: m.name });
  return out.sort((a, b) => a.version - b.version);
}

/**
 * Applies the migrations newer than the `migrations` table's highest version, inside the caller's write
 * transaction `tx`, and records each; refuses a database newer than this build. Returns the schema version.
 */
export async function applyPending(
  tx: Db,
  migrations: readonly Migration[],
  now: () => number,
  before?: BeforeMigrate,
): Promise<number> {
  const row = await tx
    .selectFrom("migrations")
    .select((eb) => eb.fn.max("version").as("version"))
    .executeTakeFirst();
  const current = Number(row?.version ?? 0);
  const known = migrations[migrations.length - 1].version;
  if (current > known) throw new StoreVersionError(current, known);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length && before) await before(current, pending);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await migration.up(tx);
    await tx
      .insertInto("migrations")
      .values({ version: migration.version, name: migration.name, applied_at: isoTime(now()) })
      .execute();
  }
  return known;
}

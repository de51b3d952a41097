/** What both dialects' migrations share: the shape of one migration and how pending ones are applied. */
import { StoreVersionError } from "./errors.js";
import { type Db, isoTime } from "./store.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Db): Promise<void>;
}

/**
 * Applies the migrations newer than the `migrations` table's highest version, inside the caller's write
 * transaction `tx`, and records each; refuses a database newer than this build. Returns the schema version.
 */
export async function applyPending(
  tx: Db,
  migrations: readonly Migration[],
  now: () => number,
): Promise<number> {
  const row = await tx
    .selectFrom("migrations")
    .select((eb) => eb.fn.max("version").as("version"))
    .executeTakeFirst();
  const current = Number(row?.version ?? 0);
  const known = migrations[migrations.length - 1].version;
  if (current > known) throw new StoreVersionError(current, known);
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

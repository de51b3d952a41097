import type { ApiTokenRow, UserRow } from "../schema.js";
import type { Db } from "../store.js";

export interface NewApiToken {
  readonly userId: string;
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly label?: string | null;
  readonly expiresAt?: string | null;
}

/** Stores the SHA-256 of a new API token of a user; returns the token's id. */
export async function insertApiToken(db: Db, t: NewApiToken): Promise<number> {
  const row = await db
    .insertInto("api_tokens")
    .values({
      user_id: t.userId,
      token_hash: t.tokenHash,
      created_at: t.createdAt,
      last_used_at: null,
      label: t.label ?? null,
      expires_at: t.expiresAt ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The user owning the token with this hash, with the token row's id and expiry. */
export function findUserByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<(UserRow & { token_id: number; token_expires_at: string | null }) | undefined> {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .selectAll("users")
    .select(["api_tokens.id as token_id", "api_tokens.expires_at as token_expires_at"])
    .where("api_tokens.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenId: number, now: string): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", tokenId).execute();
}

/** The tokens of a user, oldest first (rows carry the hash: callers show everything but it). */
export function listApiTokens(db: Db, userId: string): Promise<ApiTokenRow[]> {
  return db.selectFrom("api_tokens").selectAll().where("user_id", "=", userId).orderBy("id").execute();
}

export function findApiToken(db: Db, id: number): Promise<ApiTokenRow | undefined> {
  return db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Deletes one token; false when there was none with that id. */
export async function deleteApiToken(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom("api_tokens").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Number of tokens per user id. */
export async function countApiTokens(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("api_tokens")
    .select(["user_id", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("user_id")
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

export async function deleteApiTokensOfUser(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom("api_tokens").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

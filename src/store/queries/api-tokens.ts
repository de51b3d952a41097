import type { UserRow } from "../schema.js";
import type { Db } from "../store.js";

/** Stores the SHA-256 of a new API token of a user. */
export async function insertApiToken(db: Db, userId: string, tokenHash: string, now: string): Promise<void> {
  await db
    .insertInto("api_tokens")
    .values({ user_id: userId, token_hash: tokenHash, created_at: now, last_used_at: null })
    .execute();
}

/** The user owning the token with this hash, with the token row's id. */
export function findUserByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<(UserRow & { token_id: number }) | undefined> {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .selectAll("users")
    .select("api_tokens.id as token_id")
    .where("api_tokens.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenId: number, now: string): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", tokenId).execute();
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

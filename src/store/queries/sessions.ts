import { CompiledQuery } from "kysely";
import type { SessionRow, UserRow } from "../schema.js";
import type { Db } from "../store.js";

export async function insertSession(db: Db, session: SessionRow): Promise<void> {
  await db.insertInto("sessions").values(session).execute();
}

type FoundSession = UserRow & { csrf_token: string; expires_at: string };

/** The SQL of findSession, compiled once per database: building it cost more than running it. */
const findSql = new WeakMap<Db, string>();

/** A session that has not expired at `now`, with its user (the cookie's check on every browser request). */
export async function findSession(db: Db, idHash: string, now: string): Promise<FoundSession | undefined> {
  let text = findSql.get(db);
  if (text === undefined) {
    text = db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .selectAll("users")
      .select(["sessions.csrf_token", "sessions.expires_at"])
      .where("sessions.id_hash", "=", idHash)
      .where("sessions.expires_at", ">", now)
      .compile().sql;
    findSql.set(db, text);
  }
  const { rows } = await db.executeQuery<FoundSession>(CompiledQuery.raw(text, [idHash, now]));
  return rows[0];
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

/** Removes sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

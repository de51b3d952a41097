import type { UserRole, UserRow } from "../schema.js";
import type { Db } from "../store.js";

/** Inserts a user; the name is unique (a second insert of the name fails). */
export async function insertUser(db: Db, user: UserRow): Promise<void> {
  await db.insertInto("users").values(user).execute();
}

export function findUserByName(db: Db, name: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("name", "=", name).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Every user, by name. */
export function listUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom("users").selectAll().orderBy("name").execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes a user (their tokens and sessions go by cascade). Returns whether a row went. */
export async function deleteUser(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom("users").where("name", "=", name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function updateUser(
  db: Db,
  name: string,
  change: { role?: UserRole; password_hash?: string | null },
): Promise<boolean> {
  const result = await db.updateTable("users").set(change).where("name", "=", name).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

import type { Db } from "../store.js";

export interface AccountUsage {
  readonly lastUsedAt: string | null;
  readonly lastError: {
    readonly processId: number;
    readonly at: string;
    readonly message: string | null;
  } | null;
}

/** When processes last ran under an account, and the last one that FAILED. */
export async function accountUsage(db: Db, account: string): Promise<AccountUsage> {
  const last = await db
    .selectFrom("processes")
    .select((eb) => eb.fn.max("started_at").as("at"))
    .where("account", "=", account)
    .executeTakeFirst();
  const failed = await db
    .selectFrom("processes")
    .select(["id", "finished_at", "exit_message"])
    .where("account", "=", account)
    .where("status", "=", "FAILED")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return {
    lastUsedAt: (last?.at as string | null | undefined) ?? null,
    lastError: failed
      ? { processId: failed.id, at: failed.finished_at ?? "", message: failed.exit_message }
      : null,
  };
}

import type { ProcessRow, ProcessSource, ProcessStatus } from "../schema.js";
import type { Db } from "../store.js";
import { CHANNELS, notify } from "./notify.js";

export interface NewProcess {
  readonly script: string;
  readonly parameters: string;
  /** As sent (names and values as written, secrets masked); see ProcessTable. */
  readonly parametersAsSent?: string | null;
  readonly paramValues: string;
  readonly secretKeys: string | null;
  readonly startedBy: ProcessSource;
  readonly userId: string | null;
  readonly account: string | null;
  readonly status: ProcessStatus;
  readonly priority: number;
  readonly runAt: string;
  readonly createdAt: string;
  readonly workerId: string | null;
  readonly resumedFrom: number | null;
  readonly scheduleName?: string | null;
  readonly scheduledFor?: string | null;
  readonly triggerName?: string | null;
}

/** Inserts a process and returns its row; on PostgreSQL the workers are told (on commit). */
export async function insertProcess(db: Db, p: NewProcess): Promise<ProcessRow> {
  const row = await db
    .insertInto("processes")
    .values({
      script: p.script,
      parameters: p.parameters,
      parameters_as_sent: p.parametersAsSent ?? null,
      param_values: p.paramValues,
      secret_keys: p.secretKeys,
      started_by: p.startedBy,
      user_id: p.userId,
      account: p.account,
      status: p.status,
      priority: p.priority,
      run_at: p.runAt,
      created_at: p.createdAt,
      worker_id: p.workerId,
      resumed_from: p.resumedFrom,
      schedule_name: p.scheduleName ?? null,
      scheduled_for: p.scheduledFor ?? null,
      trigger_name: p.triggerName ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await notify(db, CHANNELS.process, String(row.id));
  return row;
}

/**
 * LISTEN/NOTIFY is a wake-up, never the truth: a worker (a real OS process on PostgreSQL) still runs a process
 * whose notification it never got, by its fallback poll, and when its LISTEN connection is killed it opens it
 * again, looks for what it missed, and is woken by notifications again. Two workers, dedicated by script:
 * one polls every second (config `poll`), the other every ten minutes, past every deadline here, so that only a
 * notification (or the catch-up after a reconnect) can start its processes in time.
 */
import { sql } from "kysely";
import { expect, it } from "vitest";
import { insertProcess } from "../src/store/queries/insert-process.js";
import type { Store } from "../src/store/store.js";
import { startCluster } from "./fixtures/cluster/cluster.js";
import { usePostgres } from "./fixtures/postgres/server.js";

const pg = usePostgres();

function newProcess(script: string, paramValues: Record<string, unknown>) {
  const now = new Date().toISOString();
  return {
    script,
    parameters: "[]",
    paramValues: JSON.stringify(paramValues),
    secretKeys: null,
    startedBy: "cli" as const,
    userId: null,
    account: null,
    status: "SCHEDULED" as const,
    priority: 0,
    runAt: now,
    createdAt: now,
    workerId: null,
    resumedFrom: null,
  };
}

/** A process whose notification is lost: the row alone, no NOTIFY (what a dropped notification leaves). */
async function insertUnannounced(store: Store, script: string) {
  const p = newProcess(script, {});
  const row = await store.db
    .insertInto("processes")
    .values({
      script: p.script,
      parameters: p.parameters,
      param_values: p.paramValues,
      started_by: p.startedBy,
      status: p.status,
      priority: p.priority,
      run_at: p.runAt,
      created_at: p.createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A process created as every node creates one: the row and a notification, on commit. */
async function insertAnnounced(store: Store, script: string, params: Record<string, unknown>) {
  return (await store.write((db) => insertProcess(db, newProcess(script, params)))).id;
}

/** The nodes' LISTEN connections to this database (the backends' pids). */
async function listeners(store: Store): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity
    where application_name = 'nightshift-listen' and datname = current_database()`.execute(store.db);
  return rows.map((r) => r.pid);
}

it("a process whose notification was lost runs by the fallback poll; a killed LISTEN connection comes back and wakes the worker again", async () => {
  const c = await startCluster({ databaseUrl: await pg.server.database(), heartbeat: "60s", lease: "120s" });
  pg.cleanups.push(c.close);
  const polling = await c.startWorker({ args: ["--scripts", "tick"], config: { poll: "1s" } });
  const listening = await c.startWorker({ args: ["--scripts", "pause"], config: { poll: "10m" } });
  await c.until("both workers to listen", async () => (await listeners(c.store)).length === 2);

  // (a) No notification comes: the poll finds the process.
  const lost = await insertUnannounced(c.store, "tick");
  expect((await c.waitForStatus(lost, "COMPLETED", 60_000)).worker_id).toBe(polling.workerId);

  // (b) The LISTEN connections are killed. A process created meanwhile has its notification lost too: the
  // worker that polls every ten minutes runs it only because its listener comes back and looks at once.
  const before = await listeners(c.store);
  await sql`select pg_terminate_backend(pid) from pg_stat_activity
    where application_name = 'nightshift-listen' and datname = current_database()`.execute(c.store.db);
  const missed = await insertAnnounced(c.store, "pause", { ms: 1 });
  await c.until(
    "both workers to listen on new connections",
    async () => {
      const now = await listeners(c.store);
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    },
    60_000,
  );
  expect((await c.waitForStatus(missed, "COMPLETED", 60_000)).worker_id).toBe(listening.workerId);
  // Wake-ups by notification work again: each new process starts long before the next poll.
  for (let i = 0; i < 2; i++) {
    const id = await insertAnnounced(c.store, "pause", { ms: 1 });
    expect((await c.waitForStatus(id, "COMPLETED", 60_000)).worker_id).toBe(listening.workerId);
  }
  expect(polling.alive() && listening.alive()).toBe(true);
}, 240_000);

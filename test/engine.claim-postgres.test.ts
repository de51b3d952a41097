/**
 * The claim on PostgreSQL takes processes of scripts without a limit in one statement outside any transaction,
 * and falls back to the transaction with advisory locks only when a limited script's process is next. These
 * check that the shortcut changes nothing a worker can see: the queue's order, exactly once among claimers
 * racing each other, a per-script limit across them, and whether a process has input files.
 */
import { expect, it } from "vitest";
import { claimDue } from "../src/engine/claim.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";
import { openPostgresStore } from "../src/store/postgres/index.js";
import { finishProcess } from "../src/store/queries/finish-process.js";
import { insertProcess } from "../src/store/queries/insert-process.js";
import { insertProcessFile } from "../src/store/queries/process-files.js";
import type { Store } from "../src/store/store.js";
import { usePostgres } from "./fixtures/postgres/server.js";

const pg = usePostgres();

const noop = async () => undefined;
const scripts = createRegistry([
  defineScript({ name: "a", description: "a", parameters: [], run: noop }),
  defineScript({ name: "b", description: "b", parameters: [], run: noop }),
  defineScript({ name: "single", description: "one at a time", parameters: [], maxConcurrent: 1, run: noop }),
]);
const T0 = Date.parse("2031-01-01T00:00:00.000Z");
const clock = { now: () => T0 };

async function store(url: string): Promise<Store> {
  const s = await openPostgresStore(url);
  pg.cleanups.push(() => s.close());
  return s;
}

async function queue(s: Store, script: string, priority = 0, at = T0 - 1000) {
  const time = new Date(at).toISOString();
  const row = await s.write((db) =>
    insertProcess(db, {
      script,
      parameters: "[]",
      paramValues: "{}",
      secretKeys: null,
      startedBy: "cli",
      userId: null,
      account: null,
      status: "SCHEDULED",
      priority,
      runAt: time,
      createdAt: time,
      workerId: null,
      resumedFrom: null,
    }),
  );
  return row.id;
}

const claim = (s: Store, workerId: string, max: number) =>
  claimDue({ store: s, scripts, workerId, clock }, max, 60_000);

const finish = (s: Store, id: number, workerId: string) =>
  finishProcess(s.db, {
    id,
    workerId,
    status: "COMPLETED",
    finishedAt: new Date(T0).toISOString(),
    exitMessage: null,
  });

it("takes processes in the queue's order across limited and unlimited scripts, and says which have inputs", async () => {
  const s = await store(await pg.server.database());
  const first = await queue(s, "a", 0, T0 - 5000);
  const limited = await queue(s, "single", 0, T0 - 4000);
  const after = await queue(s, "b", 0, T0 - 3000);
  const urgent = await queue(s, "b", -1, T0 - 1000);
  await s.write((db) =>
    insertProcessFile(db, {
      processId: after,
      type: "inputfile",
      name: "in.txt",
      path: `processes/${after}/files/x.txt`,
      size: 1,
      sha256: "00",
      createdAt: new Date(T0).toISOString(),
    }),
  );
  // One at a time: the limited script's process is not passed over by the unlimited one behind it.
  expect((await claim(s, "w1", 1)).map((r) => r.id)).toEqual([urgent]);
  expect((await claim(s, "w1", 1)).map((r) => r.id)).toEqual([first]);
  const [single] = await claim(s, "w1", 1);
  expect(single.id).toBe(limited);
  const [last] = await claim(s, "w1", 5);
  expect([last.id, last.has_inputs]).toEqual([after, true]);
  expect(single.has_inputs).toBe(false);
  // The limited script's slot is taken: a newer one of it waits, the unlimited ones behind it do not.
  const blocked = await queue(s, "single", -5);
  const free = await queue(s, "a", 0);
  expect((await claim(s, "w2", 3)).map((r) => r.id)).toEqual([free]);
  await finish(s, limited, "w1");
  expect((await claim(s, "w2", 3)).map((r) => r.id)).toEqual([blocked]);
});

it("three claimers racing each other take every process exactly once and never run the limited script twice at once", async () => {
  const url = await pg.server.database();
  const stores = await Promise.all([store(url), store(url), store(url)]);
  const names = ["a", "b", "single", "a", "b"];
  for (let i = 0; i < 150; i++) await queue(stores[0], names[i % names.length], i % 3, T0 - 10_000 + i);
  const claimed: number[] = [];
  let singles = 0;
  let overlap = false;
  await Promise.all(
    stores.map(async (s, w) => {
      const worker = `w${w}`;
      for (let idle = 0; idle < 20; ) {
        const rows = await claim(s, worker, 3);
        idle = rows.length ? 0 : idle + 1;
        for (const row of rows) {
          claimed.push(row.id);
          expect(row.worker_id).toBe(worker);
          expect(row.status).toBe("RUNNING");
          if (row.script === "single" && ++singles > 1) overlap = true;
        }
        for (const row of rows) {
          if (row.script === "single") singles--;
          await finish(s, row.id, worker);
        }
      }
    }),
  );
  expect(overlap).toBe(false);
  expect(claimed).toHaveLength(150);
  expect(new Set(claimed).size).toBe(150);
  const left = await stores[0].db
    .selectFrom("processes")
    .select("id")
    .where("status", "!=", "COMPLETED")
    .execute();
  expect(left).toEqual([]);
});

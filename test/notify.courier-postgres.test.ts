/**
 * The notification courier on PostgreSQL (issue 10): two couriers of two instances deliver one outbox at the
 * same time, claiming with FOR UPDATE SKIP LOCKED; every notification reaches the loopback receiver exactly
 * once and is marked sent by the courier that claimed it. A claim left by an instance that died while sending
 * is failed after it expires ("may or may not have arrived"), never sent again.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseNotifyConfig } from "../src/notify/config.js";
import { createCourier } from "../src/notify/courier.js";
import { claimNotifications, listProcessNotifications } from "../src/store/queries/notifications.js";
import { isoTime } from "../src/store/store.js";
import { notifyEngine, startTally } from "./fixtures/notify/setup.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir, waitFor } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const HOOK_SECRET = "pg-hook-secret-8e7d6c";
const PROCESSES = 12;

const deliveries: string[] = [];
let receiver: Server;
let port = 0;
let engines: Engine[] = [];

beforeAll(async () => {
  // A receiver slow enough (20 ms an answer) for the two couriers' rounds to overlap.
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      deliveries.push(String(req.headers["x-nightshift-delivery"] ?? ""));
      setTimeout(() => res.writeHead(200).end(), 20);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as { port: number }).port;
}, 120_000);
afterAll(async () => {
  for (const e of engines) await e.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

/** b's clock runs `offset.ms` ahead of the wall clock (to pass a claim's expiry without waiting for it). */
const offset = { ms: 0 };

async function twoInstances() {
  const url = await pg.server.database();
  const dir = await tempDir();
  pg.cleanups.push(dir.cleanup);
  const yaml = `databaseUrl: "${url}"
channels:
  hook: { type: webhook, url: "http://127.0.0.1:${port}/hook", secret: env:HOOK_SECRET, format: json }
notify:
  - { when: problems, channel: hook }
`;
  // Two instances on one database and one (shared) data directory, as two machines would be.
  const a = await notifyEngine(dir.dir, yaml, { workerId: "instance-a" });
  const b = await notifyEngine(dir.dir, yaml, {
    workerId: "instance-b",
    clock: { now: () => Date.now() + offset.ms },
  });
  engines.push(a, b);
  return [a, b] as const;
}

/** Waits for a process to end COMPLETED (a minute: PostgreSQL on a loaded machine is slow to start). */
const completed = (engine: Engine, id: number) =>
  waitFor(
    `process ${id} to be COMPLETED`,
    async () => (await engine.service.getProcess(id))?.status === "COMPLETED",
    60_000,
  );

const courierOf = (engine: Engine) =>
  createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: engine.workerId,
    clock: engine.clock,
    env: { HOOK_SECRET },
  });

it("two couriers on one PostgreSQL outbox deliver every notification exactly once", async () => {
  const [a, b] = await twoInstances();
  const dispatcher = a.createDispatcher({ pollMs: 20 });
  await dispatcher.start();
  const ids: number[] = [];
  try {
    for (let i = 0; i < PROCESSES; i++) ids.push((await startTally(a, ["--failed", "1"])).id);
    for (const id of ids) await completed(a, id);
  } finally {
    await dispatcher.stop();
  }
  deliveries.length = 0;
  const [ra, rb] = await Promise.all([courierOf(a).deliverDue(), courierOf(b).deliverDue()]);
  expect(ra.sent + rb.sent).toBe(PROCESSES);
  expect(ra.retried + rb.retried + ra.failed + rb.failed).toBe(0);
  // Neither sent what the other had claimed (which of them sent how many depends on the machine's timing).
  expect(deliveries).toHaveLength(PROCESSES);
  expect(new Set(deliveries).size).toBe(PROCESSES);
  const rows = (await Promise.all(ids.map((id) => listProcessNotifications(a.store.db, id)))).flat();
  expect(rows).toHaveLength(PROCESSES);
  expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  // Another round on either instance finds nothing to send.
  expect(await courierOf(b).deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  expect(deliveries).toHaveLength(PROCESSES);
}, 120_000);

it("a claim whose instance died while sending is failed when it expires, never sent again", async () => {
  const [a, b] = await twoInstances();
  const dispatcher = a.createDispatcher({ pollMs: 20 });
  await dispatcher.start();
  let id: number;
  try {
    id = (await startTally(a, ["--failed", "1"])).id;
    await completed(a, id);
  } finally {
    await dispatcher.stop();
  }
  // Instance a claims it for 10 minutes (as its courier does before sending) and dies before marking it.
  const now = Date.now();
  const claimed = await a.store.write((db) =>
    claimNotifications(db, {
      by: "instance-a",
      now: isoTime(now),
      until: isoTime(now + 600_000),
      max: 1,
      digest: false,
    }),
  );
  expect(claimed.map((r) => r.process_id)).toEqual([id]);
  await a.close();
  engines = engines.filter((e) => e !== a);
  deliveries.length = 0;
  // While the claim holds, b leaves it alone.
  expect(await courierOf(b).deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  expect((await listProcessNotifications(b.store.db, id))[0].status).toBe("sending");
  // Once it has expired, b fails it with the reason and sends nothing.
  offset.ms = 601_000;
  expect(await courierOf(b).deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  const [row] = await listProcessNotifications(b.store.db, id);
  expect(row.status).toBe("failed");
  expect(row.last_error).toMatch(/may or may not have arrived/);
  expect(deliveries).toEqual([]);
  offset.ms = 0;
}, 120_000);

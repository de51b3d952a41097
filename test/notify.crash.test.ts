import { createServer } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseNotifyConfig } from "../src/notify/config.js";
import { createCourier } from "../src/notify/courier.js";
import { listProcessNotifications } from "../src/store/queries/notifications.js";
import { notifyEngine, startTally } from "./fixtures/notify/setup.js";
import { type CliChild, startCli } from "./fixtures/scripts/cli-harness.js";
import { tempDir, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const HOOK_SECRET = "hook-secret-crash-1234";
const SCRIPTS = join(import.meta.dirname, "fixtures", "notify", "scripts.ts");

let dir: { dir: string; cleanup(): Promise<void> };
let engine: Engine;
let args: string[];
const children: CliChild[] = [];
const bodies: { subject: string; process: { processId: number; lost: boolean } }[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => {
    body += c.toString();
  });
  req.on("end", () => {
    bodies.push(JSON.parse(body));
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  dir = await tempDir();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  engine = await notifyEngine(
    dir.dir,
    `scriptModules: [${JSON.stringify(SCRIPTS)}]
heartbeat: 100ms
lease: 500ms
channels:
  hook: { type: webhook, url: "http://127.0.0.1:${port}/", secret: env:HOOK_SECRET, format: json }
notify:
  - { when: failed, channel: hook }
`,
  );
  args = ["--data-dir", join(dir.dir, "data"), "--config", join(dir.dir, "config.yaml")];
});
afterAll(async () => {
  for (const c of children) c.child.kill("SIGKILL");
  await engine.close();
  await new Promise((resolve) => server.close(resolve));
  await dir.cleanup();
});

function worker(): CliChild {
  const child = startCli(["worker", ...args], { HOOK_SECRET });
  children.push(child);
  return child;
}

const sentFor = (id: number) => bodies.filter((b) => b.process.processId === id);

it("kill -9 of the worker under a process: the next instance ends it lost and notifies once; later instances never again", async () => {
  const a = worker();
  await a.waitForOutput(/nightshift worker: worker /);
  const { id } = await startTally(engine, ["--kill"]);
  const killed = await a.exited;
  expect(killed.signal).toBe("SIGKILL");
  expect((await engine.service.getProcess(id))?.status).toBe("RUNNING");

  const b = worker();
  await waitForStatus(engine, id, "FAILED");
  await waitFor("the notification of the lost process", () => sentFor(id).length > 0);
  b.child.kill("SIGTERM");
  await b.exited;

  // A later instance delivers what is due (a new failure) and nothing twice.
  const c = worker();
  await c.waitForOutput(/nightshift worker: worker /);
  const later = await startTally(engine, ["--crash"]);
  await waitFor("the later process's notification", () => sentFor(later.id).length > 0);
  c.child.kill("SIGTERM");
  await c.exited;

  expect(sentFor(id)).toHaveLength(1);
  expect(sentFor(id)[0]).toMatchObject({
    subject: `[Nightshift] tally #${id} FAILED`,
    process: { lost: true },
  });
  expect(sentFor(later.id)).toHaveLength(1);
  const [row] = await listProcessNotifications(engine.store.db, id);
  expect(row).toMatchObject({ status: "sent", lost: 1, attempts: 1 });
}, 60_000);

it("a process that ended before its instance could send: sent exactly once by the next instance", async () => {
  // This engine ends the process (the outbox row commits with it) and stops without delivering.
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const { id } = await startTally(engine, ["--crash"]);
  await waitForStatus(engine, id, "FAILED");
  await dispatcher.stop();
  expect((await listProcessNotifications(engine.store.db, id))[0].status).toBe("pending");

  const next = () =>
    createCourier({
      store: engine.store,
      config: engine.config,
      notify: parseNotifyConfig(engine.config),
      workerId: "next-instance",
      clock: engine.clock,
      env: { HOOK_SECRET },
    });
  expect((await next().deliverDue()).sent).toBe(1);
  expect((await next().deliverDue()).sent).toBe(0);
  expect(sentFor(id)).toHaveLength(1);
});

it("a notification claimed by an instance that died while sending is failed with the reason, never sent again", async () => {
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const { id } = await startTally(engine, ["--crash"]);
  await waitForStatus(engine, id, "FAILED");
  await dispatcher.stop();
  const past = new Date(Date.now() - 1000).toISOString();
  await engine.store.write((db) =>
    db
      .updateTable("notifications")
      .set({ status: "sending", claimed_by: "dead-instance", claim_expires_at: past, attempts: 1 })
      .where("process_id", "=", id)
      .execute(),
  );
  const courier = createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: "survivor",
    clock: engine.clock,
    env: { HOOK_SECRET },
  });
  expect(await courier.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  const [row] = await listProcessNotifications(engine.store.db, id);
  expect(row.status).toBe("failed");
  expect(row.last_error).toBe(
    "the instance sending it (dead-instance) stopped while sending: it may or may not have arrived, so it is not sent again",
  );
  expect(sentFor(id)).toHaveLength(0);
});

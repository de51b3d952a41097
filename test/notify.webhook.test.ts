import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseNotifyConfig } from "../src/notify/config.js";
import { createCourier } from "../src/notify/courier.js";
import { verifySignature } from "../src/notify/signature.js";
import { listProcessNotifications } from "../src/store/queries/notifications.js";
import { notifyEngine, startTally } from "./fixtures/notify/setup.js";
import { tempDir, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const HOOK_SECRET = "hook-secret-5f4e3d2c1b";

interface Hit {
  readonly path: string;
  readonly body: string;
  readonly signature: string;
  readonly delivery: string;
  readonly answered: number;
}

/** A loopback receiver; `answer(n)` gives the status of the n-th request (1-based) to a path. */
function receiver(answer: (path: string, n: number) => number) {
  const hits: Hit[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const status = answer(path, n);
      hits.push({
        path,
        body: Buffer.concat(chunks).toString("utf8"),
        signature: String(req.headers["x-nightshift-signature"] ?? ""),
        delivery: String(req.headers["x-nightshift-delivery"] ?? ""),
        answered: status,
      });
      res.writeHead(status).end();
    });
  });
  return { server, hits };
}

let dir: { dir: string; cleanup(): Promise<void> };
let engine: Engine;
const hook = receiver((path, n) => (path === "/flaky" ? (n <= 2 ? 503 : 200) : path === "/down" ? 500 : 200));
let port = 0;

beforeAll(async () => {
  dir = await tempDir();
  await new Promise<void>((resolve) => hook.server.listen(0, "127.0.0.1", resolve));
  port = (hook.server.address() as { port: number }).port;
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  engine = await notifyEngine(
    dir.dir,
    `publicUrl: https://nightshift.example.edu
channels:
  flaky: { type: webhook, url: "${url("/flaky")}", secret: env:HOOK_SECRET, format: json }
  down: { type: webhook, url: "${url("/down")}", secret: env:HOOK_SECRET, format: json }
  slack: { type: webhook, url: env:SLACK_URL, secret: env:HOOK_SECRET, format: slack }
  teams: { type: webhook, url: "${url("/teams")}", secret: env:HOOK_SECRET, format: teams }
scripts:
  tally:
    notify:
      - { when: failed, channel: flaky }
      - { when: lost, channel: down }
      - { when: completed, channel: slack }
      - { when: completed, channel: teams }
`,
  );
});
afterAll(async () => {
  await engine.close();
  await new Promise((resolve) => hook.server.close(resolve));
  await dir.cleanup();
});

const env = () => ({ HOOK_SECRET, SLACK_URL: `http://127.0.0.1:${port}/services/T000/B000/slack-token-xyz` });

async function runTally(args: string[]) {
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  try {
    const { id } = await startTally(engine, args);
    return await waitForStatus(engine, id, "COMPLETED", "FAILED");
  } finally {
    await dispatcher.stop();
  }
}

it("a receiver that fails twice then accepts gets the notification once, signed, after retries with backoff", async () => {
  const p = await runTally(["--crash"]);
  const backoffs: number[] = [];
  const courier = createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: "courier-a",
    clock: engine.clock,
    env: env(),
    pollMs: 20,
    backoffMs: (n) => {
      backoffs.push(n);
      return 0;
    },
  });
  courier.start();
  try {
    const [sent] = await waitFor("the notification to be sent", async () => {
      const rows = await listProcessNotifications(engine.store.db, p.id);
      return rows[0]?.status === "sent" ? rows : undefined;
    });
    expect(sent).toMatchObject({ channel: "flaky", attempts: 3, last_error: null });
  } finally {
    await courier.stop();
  }
  expect(backoffs).toEqual([1, 2]);
  const hits = hook.hits.filter((h) => h.path === "/flaky");
  expect(hits.map((h) => h.answered)).toEqual([503, 503, 200]);
  for (const h of hits) {
    expect(h.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(HOOK_SECRET, h.body, h.signature, Date.now() / 1000)).toBe(true);
    expect(verifySignature("another-secret", h.body, h.signature, Date.now() / 1000)).toBe(false);
    expect(h.delivery).toBe(hits[0].delivery);
  }
  const body = JSON.parse(hits[2].body);
  expect(body.subject).toBe(`[Nightshift] tally #${p.id} FAILED`);
  expect(body.process).toMatchObject({ processId: p.id, script: "tally", status: "FAILED", lost: false });
  expect(body.process.logTail).toHaveLength(20);
  // another round sends nothing more
  const again = createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: "courier-b",
    clock: engine.clock,
    env: env(),
  });
  expect(await again.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  expect(hook.hits.filter((h) => h.path === "/flaky")).toHaveLength(3);
  expect((await engine.service.getProcess(p.id))?.status).toBe("FAILED");
});

it("slack and teams bodies (the slack URL given by reference)", async () => {
  const p = await runTally([]);
  const courier = createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: "courier-c",
    clock: engine.clock,
    env: env(),
  });
  expect(await courier.deliverDue()).toEqual({ sent: 2, retried: 0, failed: 0 });
  const slack = hook.hits.find((h) => h.path.startsWith("/services/"));
  expect(JSON.parse(slack?.body ?? "{}").text).toMatch(
    new RegExp(`^\\*\\[Nightshift\\] tally #${p.id} COMPLETED\\*\\n\`\`\`tally #${p.id} COMPLETED`),
  );
  const teams = JSON.parse(hook.hits.find((h) => h.path === "/teams")?.body ?? "{}");
  expect(teams.type).toBe("message");
  expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
  expect(teams.attachments[0].content.body[0].text).toBe(`[Nightshift] tally #${p.id} COMPLETED`);
  expect(teams.attachments[0].content.actions[0].url).toBe(
    `https://nightshift.example.edu/api/system/processes/${p.id}`,
  );
});

it("a receiver that never accepts: failed after the last attempt with the reason; the process is unchanged", async () => {
  // A process whose worker died: `lost` goes to the receiver that is down.
  const p = await runTally(["--crash"]);
  await engine.store.write((db) =>
    db
      .insertInto("notifications")
      .values({
        process_id: p.id,
        channel: "down",
        recipients: null,
        rule: "test",
        digest: 0,
        lost: 1,
        status: "pending",
        attempts: 0,
        next_attempt_at: new Date(0).toISOString(),
        created_at: new Date().toISOString(),
      })
      .execute(),
  );
  const courier = createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: "courier-d",
    clock: engine.clock,
    env: env(),
    maxAttempts: 2,
    backoffMs: () => 0,
  });
  // the flaky channel's row of this process goes too (first attempt fails: it is the 4th+ request, so 200)
  await courier.deliverDue();
  await courier.deliverDue();
  const down = (await listProcessNotifications(engine.store.db, p.id)).find((n) => n.channel === "down");
  expect(down).toMatchObject({
    status: "failed",
    attempts: 2,
    last_error: `webhook 127.0.0.1:${port} answered HTTP 500`,
  });
  expect((await engine.service.getProcess(p.id))?.status).toBe("FAILED");
});

/**
 * The daily digest (issue 10), end to end with a real SMTP server: a rule with `digest: "07:30"` sends nothing
 * when its processes end; at 07:30 each set of recipients gets ONE message listing every process of the last
 * 24 hours that matched its rule (and only those); a process ending after the digest went out waits for the
 * next day's; the notifications are marked sent, and a second round sends nothing again.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseNotifyConfig } from "../src/notify/config.js";
import { createCourier } from "../src/notify/courier.js";
import { listProcessNotifications } from "../src/store/queries/notifications.js";
import { type MailServer, startMailServer } from "./fixtures/notify/mail.js";
import { notifyEngine, startTally } from "./fixtures/notify/setup.js";
import { tempDir, waitForStatus } from "./fixtures/scripts/harness.js";

const SMTP_PASSWORD = "digest-smtp-pa55-31c9";
let dir: { dir: string; cleanup(): Promise<void> };
let mail: MailServer;
let engine: Engine;
// 08:00 local time today: the processes end after today's 07:30, so they wait for tomorrow's digest.
const start = new Date();
start.setHours(8, 0, 0, 0);
const clock = { t: start.getTime(), now: () => clock.t };
const at = (dayOffset: number, hour: number, minute: number) => {
  const d = new Date(start);
  d.setDate(d.getDate() + dayOffset);
  d.setHours(hour, minute, 0, 0);
  return d.getTime();
};

beforeAll(async () => {
  dir = await tempDir();
  mail = await startMailServer(dir.dir, { user: "nightshift", pass: SMTP_PASSWORD });
  engine = await notifyEngine(
    dir.dir,
    `publicUrl: https://nightshift.example.edu
channels:
  staff-mail: { type: email, url: "smtp://127.0.0.1:${mail.port}", user: nightshift, password: env:SMTP_PASSWORD,
                ca: "file:${mail.certPath}", from: nightshift@example.edu, to: [metadata-team@example.edu] }
notify:
  - { when: always, channel: staff-mail, to: [team@example.edu], digest: "07:30" }
  - { when: failed, channel: staff-mail, to: [head@example.edu], digest: "07:30" }
`,
    { clock },
  );
});
afterAll(async () => {
  await engine.close();
  await mail.close();
  await dir.cleanup();
});

const courier = () =>
  createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: "digest-test",
    clock,
    env: { SMTP_PASSWORD },
  });

async function runTally(args: string[]) {
  const dispatcher = engine.createDispatcher({ pollMs: 20 });
  await dispatcher.start();
  try {
    const { id } = await startTally(engine, args);
    return await waitForStatus(engine, id, "COMPLETED", "FAILED");
  } finally {
    await dispatcher.stop();
  }
}

it("one message per recipients at the digest time, listing every matching process of the last 24 h", async () => {
  const ok = await runTally([]);
  clock.t += 3600_000;
  const problems = await runTally(["--failed", "2"]);
  clock.t += 3600_000;
  const failed = await runTally(["--crash"]);
  expect([ok.status, problems.status, failed.status]).toEqual(["COMPLETED", "COMPLETED", "FAILED"]);
  // Written to the outbox, due at tomorrow's 07:30; nothing is sent before.
  const [row] = await listProcessNotifications(engine.store.db, ok.id);
  expect(row).toMatchObject({ status: "pending", digest: 1 });
  expect(Date.parse(String(row.next_attempt_at))).toBe(at(1, 7, 30));
  clock.t = at(1, 7, 29);
  expect(await courier().deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  expect(mail.received).toHaveLength(0);

  clock.t = at(1, 7, 31);
  expect(await courier().deliverDue()).toEqual({ sent: 4, retried: 0, failed: 0 });
  expect(mail.received).toHaveLength(2);
  const team = mail.received.find((m) => m.to.join() === "team@example.edu");
  const head = mail.received.find((m) => m.to.join() === "head@example.edu");
  const day = new Date(at(1, 7, 31)).toISOString().slice(0, 10);
  expect(team?.subject).toBe(`[Nightshift] digest ${day}: 3 processes`);
  expect(team?.text).toContain("3 processes in the last 24 hours:");
  const listed = (text = "") => text.split("\n").filter((l) => l.startsWith("- "));
  expect(listed(team?.text)).toEqual([
    expect.stringMatching(new RegExp(`^- tally #${ok.id} COMPLETED \\(ok\\).*/processes/${ok.id}$`)),
    expect.stringMatching(
      new RegExp(`^- tally #${problems.id} COMPLETED \\(errors\\).*failed 2.*/processes/${problems.id}$`),
    ),
    expect.stringMatching(new RegExp(`^- tally #${failed.id} FAILED.*gave up after 0 failures`)),
  ]);
  expect(head?.subject).toBe(`[Nightshift] digest ${day}: 1 process`);
  expect(listed(head?.text)).toEqual([expect.stringContaining(`tally #${failed.id} FAILED`)]);
  for (const m of mail.received) expect(m.raw).not.toContain(SMTP_PASSWORD);
  for (const p of [ok, problems, failed])
    for (const n of await listProcessNotifications(engine.store.db, p.id)) expect(n.status).toBe("sent");

  // Nothing twice; a process ending after this digest is in the next day's, alone.
  expect(await courier().deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  clock.t = at(1, 9, 0);
  const late = await runTally(["--failed", "1"]);
  clock.t = at(2, 7, 31);
  expect(await courier().deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
  expect(mail.received).toHaveLength(3);
  expect(mail.received[2].to).toEqual(["team@example.edu"]);
  expect(listed(mail.received[2].text)).toEqual([expect.stringContaining(`tally #${late.id} COMPLETED`)]);
});

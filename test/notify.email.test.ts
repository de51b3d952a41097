import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseNotifyConfig } from "../src/notify/config.js";
import { createCourier } from "../src/notify/courier.js";
import { listProcessNotifications } from "../src/store/queries/notifications.js";
import { type MailServer, startMailServer } from "./fixtures/notify/mail.js";
import { notifyEngine, startTally } from "./fixtures/notify/setup.js";
import { tempDir, waitForStatus } from "./fixtures/scripts/harness.js";

// Real values: every one of them must be masked wherever it would appear in a message.
const SECRETS = {
  SMTP_PASSWORD: "smtp-pa55word-7f3c9e",
  HOOK_SECRET: "hook-secret-0d9a8b7c",
  WEEDING_SECRET: "weeding-secret-41b2c3",
  SB_SECRET: "sandbox-secret-9e8d7c",
};
const PARAM_SECRET = "param-secret-5a6b7c8d";

let dir: { dir: string; cleanup(): Promise<void> };
let mail: MailServer;
let engine: Engine;

beforeAll(async () => {
  dir = await tempDir();
  mail = await startMailServer(dir.dir, { user: "nightshift", pass: SECRETS.SMTP_PASSWORD });
  engine = await notifyEngine(
    dir.dir,
    `publicUrl: https://nightshift.example.edu/
channels:
  staff-mail: { type: email, url: "smtp://127.0.0.1:${mail.port}", user: nightshift, password: env:SMTP_PASSWORD,
                ca: "file:${mail.certPath}", from: nightshift@example.edu, to: [metadata-team@example.edu] }
  team-chat: { type: webhook, url: "http://127.0.0.1:9/hook", secret: env:HOOK_SECRET, format: slack }
notify:
  - { when: failed, channel: staff-mail }
scripts:
  tally: { notify: [ { when: problems, channel: staff-mail, to: [cataloguers@example.edu] } ] }
accounts:
  weeding-2026: { key: weeding-key, secret: env:WEEDING_SECRET }
  test-sb: { key: sb-key, secret: env:SB_SECRET, sandboxUrl: "http://127.0.0.1:9" }
`,
  );
});
afterAll(async () => {
  await engine.close();
  await mail.close();
  await dir.cleanup();
});

function courier() {
  return createCourier({
    store: engine.store,
    config: engine.config,
    notify: parseNotifyConfig(engine.config),
    workerId: "courier-test",
    clock: engine.clock,
    env: { ...SECRETS },
  });
}

async function runTally(args: string[], account?: string) {
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  try {
    const { id } = await startTally(engine, args, account);
    return await waitForStatus(engine, id, "COMPLETED", "FAILED");
  } finally {
    await dispatcher.stop();
  }
}

function expectNoSecret(text: string) {
  for (const value of [...Object.values(SECRETS), PARAM_SECRET]) expect(text).not.toContain(value);
}

it("a COMPLETED process with failed items (rule `problems`) is mailed over STARTTLS with counts, codes, log tail, link and the failures file", async () => {
  const p = await runTally(
    ["--failed", "3", "--secret", PARAM_SECRET, "--note", SECRETS.WEEDING_SECRET],
    "test-sb",
  );
  expect(p.status).toBe("COMPLETED");
  const [row] = await listProcessNotifications(engine.store.db, p.id);
  expect(row).toMatchObject({
    channel: "staff-mail",
    status: "pending",
    rule: "scripts.tally.notify[0] (problems)",
  });

  const before = mail.received.length;
  expect(await courier().deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
  expect(mail.received.length).toBe(before + 1);
  const m = mail.received[before];
  expect(m.secure).toBe(true); // STARTTLS was used: the password never crossed in clear
  expect(m.user).toBe("nightshift");
  expect(m.from).toBe("nightshift@example.edu");
  expect(m.to).toEqual(["cataloguers@example.edu"]);
  expect(m.subject).toBe(`[Nightshift] [SANDBOX] tally #${p.id} COMPLETED`);
  expect(m.text).toContain("Outcome: errors");
  expect(m.text).toContain("Account: test-sb (SANDBOX)");
  expect(m.text).toContain("Started by: command line");
  expect(m.text).toContain("Items: 13 (ok 10, skipped 0, failed 3, unknown 0)");
  expect(m.text).toContain("Top error codes: WS-404 (2), CAT-OTHER (1)");
  expect(m.text).toMatch(/Duration: \d+(\.\d+)? s/);
  expect(m.text).toContain(`Process: https://nightshift.example.edu/api/system/processes/${p.id}`);
  const tail = m.text.slice(m.text.indexOf("Last 20 log lines:"));
  expect(tail.split("\n").filter((l) => l.startsWith("  ")).length).toBe(20);
  expect(tail).toMatch(/INFO item line 25$/m);
  expect(tail).not.toMatch(/item line 5$/m);
  expect(tail).toMatch(/INFO COMPLETED \(after/);
  // the failures file, attached as the script wrote it
  const [failures] = await engine.service.listFiles(p.id, "failures");
  expect(m.attachments.map((a) => a.filename)).toEqual(["failures.txt"]);
  expect(m.attachments[0].content.equals(await readFile(join(engine.config.dataDir, failures.path)))).toBe(
    true,
  );
  expect(m.attachments[0].content.toString()).toBe("100000000\n100000001\n100000002\n");
  // the note logged an account's secret in clear: the message masks it; the secret parameter was masked already
  expect(m.text).toContain("note: [REDACTED]");
  expectNoSecret(m.raw);
  const [sent] = await listProcessNotifications(engine.store.db, p.id);
  expect(sent).toMatchObject({ status: "sent", attempts: 1, last_error: null });
});

it("a FAILED process under a production account: subject without [SANDBOX], the message, no secret", async () => {
  const p = await runTally(["--failed", "1", "--crash", "--note", SECRETS.SMTP_PASSWORD], "weeding-2026");
  expect(p.status).toBe("FAILED");
  const before = mail.received.length;
  expect((await courier().deliverDue()).sent).toBe(1);
  const m = mail.received[before];
  expect(m.subject).toBe(`[Nightshift] tally #${p.id} FAILED`);
  expect(m.to).toEqual(["metadata-team@example.edu"]);
  expect(m.text).toContain("Outcome: FAILED - gave up after 1 failures");
  expect(m.text).toContain("Account: weeding-2026 (PRODUCTION)");
  expect(m.attachments.map((a) => a.filename)).toEqual(["failures.txt"]);
  expectNoSecret(m.raw);
});

it("a failures file of 1 MB or more is not attached: the message says so and links to it", async () => {
  const p = await runTally(["--failed", "1", "--big"]);
  const before = mail.received.length;
  await courier().deliverDue();
  const m = mail.received[before];
  expect(m.subject).toBe(`[Nightshift] tally #${p.id} COMPLETED`);
  expect(m.attachments).toEqual([]);
  expect(m.text).toContain("Failures file: failures.txt (1.9 MB, too large to attach)");
  expect(m.text).toContain(`https://nightshift.example.edu/api/system/processes/${p.id}/files/failures`);
});

it("a process that ended well matches no rule: nothing is written to the outbox", async () => {
  const p = await runTally([]);
  expect(p.status).toBe("COMPLETED");
  expect(await listProcessNotifications(engine.store.db, p.id)).toEqual([]);
});

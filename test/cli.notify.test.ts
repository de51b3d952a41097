import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type MailServer, startMailServer } from "./fixtures/notify/mail.js";
import { startCli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const SMTP_PASSWORD = "cli-smtp-pass-6c5d4e";
const HOOK_SECRET = "cli-hook-secret-1a2b3c";
const SCRIPTS = join(import.meta.dirname, "fixtures", "notify", "scripts.ts");

let dir: { dir: string; cleanup(): Promise<void> };
let mail: MailServer;
let args: string[];
let closedPort = 0;

beforeAll(async () => {
  dir = await tempDir();
  mail = await startMailServer(dir.dir, { user: "nightshift@example.edu", pass: SMTP_PASSWORD });
  // A port nothing listens on (taken, then freed).
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  const config = join(dir.dir, "config.yaml");
  await writeFile(
    config,
    `scriptModules: [${JSON.stringify(SCRIPTS)}]
channels:
  staff-mail: { type: email, url: "smtp://127.0.0.1:${mail.port}", password: env:SMTP_PASSWORD,
                ca: "file:${mail.certPath}", from: nightshift@example.edu, to: [metadata-team@example.edu] }
  nowhere: { type: webhook, url: "http://127.0.0.1:${closedPort}/hook", secret: env:HOOK_SECRET }
notify:
  - { when: failed, channel: staff-mail }
`,
  );
  args = ["--data-dir", join(dir.dir, "data"), "--config", config];
});
afterAll(async () => {
  await mail.close();
  await dir.cleanup();
});

const env = { SMTP_PASSWORD, HOOK_SECRET };

it("notify test CHANNEL sends a test message; --to overrides the recipients", async () => {
  const r = await startCli(["notify", "test", "staff-mail", "--to", "me@example.edu", ...args], env).exited;
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe("test message sent through channel staff-mail to me@example.edu\n");
  expect(r.code).toBe(0);
  const m = mail.received.at(-1);
  expect(m?.subject).toBe("[Nightshift] test message for channel staff-mail");
  expect(m?.to).toEqual(["me@example.edu"]);
  expect(m?.user).toBe("nightshift@example.edu");
});

it("notify test: a channel that cannot deliver exits 1 with the reason; an unknown one exits 2", async () => {
  const down = await startCli(["notify", "test", "nowhere", ...args], env).exited;
  expect(down.code).toBe(1);
  expect(down.stderr).toBe(
    `nightshift notify: channel nowhere: webhook 127.0.0.1:${closedPort} not reached: ECONNREFUSED\n`,
  );
  const unknown = await startCli(["notify", "test", "nope", ...args], env).exited;
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("no channel 'nope' in the config (known: staff-mail, nowhere)");
  const noSecret = await startCli(["notify", "test", "staff-mail", ...args], {}).exited;
  expect(noSecret.code).toBe(1);
  expect(noSecret.stderr).toBe(
    "nightshift notify: channel staff-mail: password: environment variable SMTP_PASSWORD is not set\n",
  );
});

it("a foreground run that fails is mailed before run exits; process --notifications shows it sent", async () => {
  const run = await startCli(["run", "tally", "--crash", ...args], env).exited;
  expect(run.code).toBe(1);
  const id = Number(/^process (\d+)/.exec(run.stdout)?.[1]);
  expect(mail.received.at(-1)?.subject).toBe(`[Nightshift] tally #${id} FAILED`);
  const shown = await startCli(["process", String(id), "--notifications", ...args]).exited;
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(
    /^#\d+ staff-mail: SENT after 1 attempt, sent \S+Z; rule notify\[0\] \(failed\)\n$/,
  );
  const json = await startCli(["process", String(id), "--notifications", "--json", ...args]).exited;
  const body = JSON.parse(json.stdout);
  expect(body.id).toBe(id);
  expect(body.notifications).toEqual([
    expect.objectContaining({
      processId: id,
      channel: "staff-mail",
      status: "sent",
      attempts: 1,
      lastError: null,
    }),
  ]);
  for (const out of [run.stdout, run.stderr, shown.stdout, json.stdout]) {
    expect(out).not.toContain(SMTP_PASSWORD);
  }
});

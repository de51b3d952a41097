import { expect, it } from "vitest";
import { parseNotifyConfig, type When } from "../src/notify/config.js";
import { originOf } from "../src/notify/outbox.js";
import { processOutcome } from "../src/notify/outcome.js";
import { firingRules, matches } from "../src/notify/rules.js";
import type { ProcessRow } from "../src/store/schema.js";

type Case = [string, { status: ProcessRow["status"]; outcome: "ok" | "warnings" | "errors"; lost: boolean }];
const ends: Case[] = [
  ["COMPLETED ok", { status: "COMPLETED", outcome: "ok", lost: false }],
  ["COMPLETED warnings", { status: "COMPLETED", outcome: "warnings", lost: false }],
  ["COMPLETED errors", { status: "COMPLETED", outcome: "errors", lost: false }],
  ["FAILED", { status: "FAILED", outcome: "ok", lost: false }],
  ["FAILED lost", { status: "FAILED", outcome: "ok", lost: true }],
  ["CANCELLED", { status: "CANCELLED", outcome: "ok", lost: false }],
];
// which ends each `when` matches, in the order of `ends`
const expected: Record<When, boolean[]> = {
  failed: [false, false, false, true, true, false],
  problems: [false, true, true, false, false, false],
  completed: [true, true, true, false, false, false],
  lost: [false, false, false, false, true, false],
  always: [true, true, true, true, true, true],
};

for (const [when, row] of Object.entries(expected) as [When, boolean[]][]) {
  it(`rule when=${when}`, () => {
    expect(ends.map(([, e]) => matches(when, e))).toEqual(row);
  });
}

it("the outcome: the process's own when it has one, else derived from the summary's counts", () => {
  const r = (result: unknown, outcome?: string) => ({ result: JSON.stringify(result), outcome });
  expect(processOutcome(r({ byOutcome: { ok: 5, failed: 0, unknown: 0 } }))).toBe("ok");
  expect(processOutcome(r({ byOutcome: { ok: 5, failed: 1, unknown: 0 } }))).toBe("errors");
  expect(processOutcome(r({ byOutcome: { ok: 5, failed: 0, unknown: 2 } }))).toBe("errors");
  expect(processOutcome(r({ byOutcome: { ok: 5 }, warnings: 3 }))).toBe("warnings");
  expect(processOutcome(r({ outcome: "warnings" }))).toBe("warnings");
  expect(processOutcome(r({ byOutcome: { failed: 9 } }, "ok"))).toBe("ok");
  expect(processOutcome({ result: null })).toBe("ok");
});

const row = (over: Partial<ProcessRow>): ProcessRow =>
  ({ id: 1, script: "worldcat-holdings", status: "FAILED", result: null, ...over }) as ProcessRow;

const config = parseNotifyConfig({
  raw: {
    channels: {
      "staff-mail": {
        type: "email",
        url: "smtp://mail.example.edu:587",
        from: "n@example.edu",
        to: ["a@example.edu"],
      },
      "team-chat": {
        type: "webhook",
        url: "https://hooks.example.edu/abc",
        secret: "env:HOOK_SECRET",
        format: "slack",
      },
    },
    notify: [{ when: "failed", channel: "staff-mail" }],
    schedules: {
      "weekly-theses": {
        script: "worldcat-holdings",
        notify: [{ when: "always", channel: "staff-mail", to: ["repository@example.edu"] }],
      },
    },
    triggers: { "new-thesis": { notify: [{ when: "completed", channel: "team-chat" }] } },
    scripts: {
      "worldcat-holdings": {
        account: "weeding-2026",
        notify: [
          { when: "problems", channel: "team-chat" },
          { when: "always", channel: "staff-mail" },
          { when: "lost", channel: "staff-mail", to: ["ops@example.edu"] },
        ],
      },
    },
  },
});

it("global and script rules add up; one channel and recipients is told once", () => {
  const keys = (r: ProcessRow, lost = false) => firingRules(config, r, lost).map((x) => x.key);
  expect(keys(row({ status: "FAILED" }))).toEqual(["notify[0]"]);
  expect(keys(row({ status: "FAILED" }), true)).toEqual(["notify[0]", "scripts.worldcat-holdings.notify[2]"]);
  expect(keys(row({ status: "COMPLETED", result: '{"byOutcome":{"failed":1}}' }))).toEqual([
    "scripts.worldcat-holdings.notify[0]",
    "scripts.worldcat-holdings.notify[1]",
  ]);
  expect(keys(row({ status: "CANCELLED" }))).toEqual(["scripts.worldcat-holdings.notify[1]"]);
  expect(keys(row({ script: "marc-validate", status: "COMPLETED" }))).toEqual([]);
});

it("a schedule's and a trigger's rules apply to the processes they started", () => {
  const keys = (r: ProcessRow) => firingRules(config, r, false, originOf(r)).map((x) => x.key);
  expect(keys(row({ script: "marc-validate", status: "COMPLETED", schedule_name: "weekly-theses" }))).toEqual(
    ["schedules.weekly-theses.notify[0]"],
  );
  expect(keys(row({ script: "marc-validate", status: "COMPLETED", trigger_name: "new-thesis" }))).toEqual([
    "triggers.new-thesis.notify[0]",
  ]);
  expect(keys(row({ script: "marc-validate", status: "COMPLETED" }))).toEqual([]);
});

it("config errors name the key", () => {
  const bad = (raw: Record<string, unknown>) => () => parseNotifyConfig({ raw });
  const mail = { type: "email", url: "smtp://m.example.edu", from: "n@example.edu", to: ["a@example.edu"] };
  expect(bad({ channels: { m: { ...mail, password: "hunter22" } } })).toThrow(
    "channels.m.password: inline secrets are not allowed",
  );
  expect(bad({ channels: { m: { ...mail, url: "smtp://u:pw@m.example.edu" } } })).toThrow(
    "channels.m.url: holds a password",
  );
  expect(bad({ channels: { m: { ...mail, url: "http://m.example.edu" } } })).toThrow(
    "channels.m.url: must be a smtp:// or smtps:// URL",
  );
  expect(bad({ channels: { m: { ...mail, password: "env:P", starttls: "auto" } } })).toThrow(
    "channels.m.starttls: must be required when a password is given over smtp://",
  );
  expect(bad({ channels: { h: { type: "webhook", url: "https://h.example.edu" } } })).toThrow(
    "channels.h.secret: required",
  );
  expect(
    bad({
      channels: { h: { type: "webhook", url: "https://h.example.edu", secret: "env:S", format: "xml" } },
    }),
  ).toThrow("channels.h.format: must be slack, teams or json");
  expect(bad({ channels: { m: { ...mail, colour: "red" } } })).toThrow("channels.m.colour: unknown key");
  expect(bad({ channels: { m: mail }, notify: [{ when: "sometimes", channel: "m" }] })).toThrow(
    "notify.0.when: must be one of failed, problems, completed, lost, always",
  );
  expect(bad({ channels: { m: mail }, scripts: { x: { notify: [{ channel: "nope" }] } } })).toThrow(
    'scripts.x.notify.0.channel: no such channel "nope" (known: m)',
  );
  expect(bad({ channels: { m: { ...mail, to: undefined } }, notify: [{ channel: "m" }] })).toThrow(
    "notify.0.to: required: channel m has no default recipients",
  );
  expect(bad({ channels: { m: mail }, notify: [{ channel: "m", digest: "25:00" }] })).toThrow(
    "notify.0.digest",
  );
});

it("a rule without `when` fires on failed and on problems (COMPLETED with errors or warnings)", () => {
  const c = parseNotifyConfig({
    raw: {
      channels: { h: { type: "webhook", url: "https://h.example.edu", secret: "env:S" } },
      notify: [{ channel: "h" }],
      scripts: { "marc-validate": { notify: [{ when: ["completed", "lost"], channel: "h" }] } },
    },
  });
  expect(c.global[0].when).toEqual(["failed", "problems"]);
  const fires = (r: ProcessRow) => firingRules(c, r, false).length > 0;
  expect(fires(row({ status: "FAILED" }))).toBe(true);
  expect(fires(row({ status: "COMPLETED", result: '{"byOutcome":{"ok":17,"failed":7}}' }))).toBe(true);
  expect(fires(row({ status: "COMPLETED", outcome: "warnings" } as Partial<ProcessRow>))).toBe(true);
  expect(fires(row({ status: "COMPLETED", result: '{"byOutcome":{"ok":24}}' }))).toBe(false);
  expect(fires(row({ status: "CANCELLED" }))).toBe(false);
  // a list names several; the script's rule adds `completed` for its own processes
  expect(c.scripts["marc-validate"][0].when).toEqual(["completed", "lost"]);
  expect(fires(row({ script: "marc-validate", status: "COMPLETED", result: '{"byOutcome":{"ok":1}}' }))).toBe(
    true,
  );
  expect(() =>
    parseNotifyConfig({
      raw: {
        channels: { h: { type: "webhook", url: "https://h.example.edu", secret: "env:S" } },
        notify: [{ when: [], channel: "h" }],
      },
    }),
  ).toThrow("notify.0.when: must be one of failed, problems, completed, lost, always, or a list of them");
});

it("a bad channel in a config file is refused with file:line", async () => {
  const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { loadConfig } = await import("../src/config/config.js");
  const dir = await mkdtemp(join(tmpdir(), "nightshift-notify-"));
  try {
    const configPath = join(dir, "config.yaml");
    await writeFile(
      configPath,
      "port: 0\nchannels:\n  staff-mail:\n    type: email\n    url: smtp://mail.example.edu:587\n    password: hunter22\n",
    );
    const config = await loadConfig({ configPath, dataDir: dir, env: {} });
    expect(() => parseNotifyConfig(config)).toThrow(
      `${configPath}:6: channels.staff-mail.password: inline secrets`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

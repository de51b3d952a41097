/**
 * A misspelt or not-yet-supported config key is refused, at every level, with the key path, the file and the
 * line, and the nearest known key when one is close: a server must not start silently without `schedules:`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configError, loadConfig } from "../src/config/config.js";
import { checkKeys } from "../src/config/keys.js";
import { ConfigError } from "../src/config/units.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nightshift-keys-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function load(name: string, text: string) {
  const file = join(dir, name);
  await writeFile(file, text);
  return { file, load: () => loadConfig({ configPath: file, env: {}, cwd: dir }) };
}

it.each([
  [
    "top level, close to a known key",
    "port: 8080\nschedule:\n  nightly: {}\n",
    ":2: schedule: unknown key (did you mean `schedules`?)",
  ],
  ["top level, case slip", "dataDIR: /x\n", ":1: dataDIR: unknown key (did you mean `dataDir`?)"],
  ["top level, nothing close", "port: 1\n\nfrobnicate: true\n", ":3: frobnicate: unknown key"],
  [
    "a script's settings",
    "scripts:\n  worldcat-holdings:\n    roles: [operator]\n    maxConcurent: 2\n",
    ":4: scripts.worldcat-holdings.maxConcurent: unknown key (did you mean `maxConcurrent`?)",
  ],
  [
    "an account's settings",
    "accounts:\n  weeding:\n    key: env:K\n    secret: env:S\n    rateLimt: 20/s\n",
    ":5: accounts.weeding.rateLimt: unknown key (did you mean `rateLimit`?)",
  ],
  [
    "an account's base URLs",
    "accounts:\n  weeding:\n    secret: env:S\n    baseUrls:\n      metdata: http://x\n",
    ":5: accounts.weeding.baseUrls.metdata: unknown key (did you mean `metadata`?)",
  ],
  [
    "JSON",
    '{\n  "port": 1,\n  "uploadlimit": "1MB"\n}\n',
    ":3: uploadlimit: unknown key (did you mean `uploadLimit`?)",
  ],
])("refuses an unknown key: %s", async (_what, text, message) => {
  const { file, load: config } = await load(`k${Math.random().toString(36).slice(2)}.yaml`, text);
  const err = await config().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toBe(`${file}${message}`);
});

it("accepts every documented key, and the sections other parts own with any content", async () => {
  const { load: config } = await load(
    "all.yaml",
    [
      "dataDir: ./data",
      "port: 9000",
      "host: 127.0.0.1",
      "concurrency: 2",
      "heartbeat: 2s",
      "lease: 10s",
      "uploadLimit: 1MB",
      "trustProxy: false",
      "publicUrl: https://nightshift.example.org/",
      "scriptModules: []",
      "scripts:",
      "  worldcat-holdings: { maxConcurrent: 1, timeout: 2h, roles: [operator], account: weeding, notify: [ops] }",
      "accounts:",
      "  weeding: { auth: token, key: env:K, secret: env:S, rateLimit: 20/s, baseUrls: { metadata: http://x } }",
      "schedules: { nightly: { anything: 1 } }",
      "triggers: { t: { x: 1 } }",
      "channels: { ops: { y: 2 } }",
      "notify: { z: 3 }",
      "fileStore: directory",
      "diskReserve: 1GB",
      "retention: { days: 1 }",
      "limits: { queuedProcesses: 10, uploadBytes: 1GB, logStreams: 5 }",
    ].join("\n"),
  );
  const loaded = await config();
  expect(loaded.publicUrl).toBe("https://nightshift.example.org");
  expect(loaded.scripts["worldcat-holdings"]).toMatchObject({ account: "weeding", notify: ["ops"] });
});

it("publicUrl must be an absolute http(s) URL", async () => {
  for (const bad of ["nightshift.example.org", "ftp://x.org", "https://x.org/?a=1", "[]"]) {
    const { file, load: config } = await load("url.yaml", `port: 1\npublicUrl: ${bad}\n`);
    await expect(config()).rejects.toThrow(
      `${file}:2: publicUrl: must be an absolute http:// or https:// URL`,
    );
  }
});

it("a section's owner gets file:line for its own key paths, after loading", async () => {
  const { file, load: config } = await load(
    "owned.yaml",
    "schedules:\n  nightly:\n    cron: not-a-cron\n    scirpt: x\n",
  );
  const loaded = await config();
  expect(configError(loaded, "schedules.nightly.cron", "not a cron expression").message).toBe(
    `${file}:3: schedules.nightly.cron: not a cron expression`,
  );
  // The owner's own key table, checked with the same helper.
  let err: unknown;
  try {
    checkKeys(
      (loaded.raw.schedules as Record<string, unknown>).nightly,
      { cron: "value", script: "value" },
      "schedules.nightly",
    );
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect(configError(loaded, (err as ConfigError).key, (err as ConfigError).detail).message).toBe(
    `${file}:4: schedules.nightly.scirpt: unknown key (did you mean \`script\`?)`,
  );
});

it("invalid YAML names the line", async () => {
  const { file, load: config } = await load("broken.yaml", "port: 1\nscripts: [\n");
  await expect(config()).rejects.toThrow(
    new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: config: not valid YAML`),
  );
});

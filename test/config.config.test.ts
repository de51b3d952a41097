import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";

const made: string[] = [];
const everMade: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A temp directory removed after the test (none is left in the system temp folder). */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nightshift-config-"));
  made.push(dir);
  everMade.push(dir);
  return dir;
}

describe("loadConfig", () => {
  it("runs on embedded defaults without a config file", async () => {
    const cwd = await tempDir();
    const config = await loadConfig({ env: {}, cwd });
    expect(config.dataDir).toBe(join(cwd, "nightshift-data"));
    expect(config).toMatchObject({ port: 8080, concurrency: 4, heartbeatMs: 30_000, leaseMs: 60_000 });
  });

  it("reads YAML and lets env and flags override it", async () => {
    const dir = await tempDir();
    const file = join(dir, "nightshift.yaml");
    await writeFile(
      file,
      [
        "dataDir: ./data",
        "port: 9000",
        "concurrency: 2",
        "heartbeat: 2s",
        "uploadLimit: 1MB",
        "scriptModules: [./extra.js]",
        "scripts:",
        "  worldcat-holdings: { maxConcurrent: 1, timeout: 2h, roles: [operator] }",
      ].join("\n"),
    );
    const config = await loadConfig({ configPath: file, env: { NIGHTSHIFT_PORT: "9100" }, cwd: "/" });
    expect(config.dataDir).toBe(join("/", "data"));
    expect(config.port).toBe(9100);
    expect(config.heartbeatMs).toBe(2000);
    expect(config.leaseMs).toBe(4000);
    expect(config.uploadLimitBytes).toBe(1024 * 1024);
    expect(config.scriptModules).toEqual([join(dir, "extra.js")]);
    expect(config.scripts["worldcat-holdings"]).toEqual({
      maxConcurrent: 1,
      timeoutMs: 7_200_000,
      roles: ["operator"],
    });
    const flagged = await loadConfig({
      configPath: file,
      dataDir: "/x",
      port: 1,
      env: { NIGHTSHIFT_PORT: "9100" },
    });
    expect(flagged.dataDir).toBe("/x");
    expect(flagged.port).toBe(1);
  });

  it("reads JSON as well", async () => {
    const dir = await tempDir();
    const file = join(dir, "c.json");
    await writeFile(file, JSON.stringify({ concurrency: 7 }));
    expect((await loadConfig({ configPath: file, env: {} })).concurrency).toBe(7);
  });

  it("poll: how often a worker looks when nothing woke it; absent, the dispatcher derives it", async () => {
    const dir = await tempDir();
    const file = join(dir, "poll.yaml");
    await writeFile(file, "poll: 10m\n");
    expect((await loadConfig({ configPath: file, env: {} })).pollMs).toBe(600_000);
    expect((await loadConfig({ env: {}, cwd: dir })).pollMs).toBeUndefined();
    await writeFile(file, "heartbeat: 1s\npoll: 0s\n");
    await expect(loadConfig({ configPath: file, env: {} })).rejects.toThrow(
      `${file}:2: poll: must be more than 0`,
    );
  });

  it("names the file and key of a bad value", async () => {
    const dir = await tempDir();
    const file = join(dir, "bad.yaml");
    await writeFile(file, "heartbeat: soon\n");
    await expect(loadConfig({ configPath: file, env: {} })).rejects.toThrow(
      `${file}:1: heartbeat: expected a duration`,
    );
    await writeFile(file, "scripts:\n  x: { maxConcurrent: 0 }\n");
    await expect(loadConfig({ configPath: file, env: {} })).rejects.toThrow(
      `${file}:2: scripts.x.maxConcurrent: expected a positive integer`,
    );
    await expect(loadConfig({ configPath: join(dir, "missing.yaml"), env: {} })).rejects.toThrow(
      "cannot read config file: ENOENT",
    );
  });
});

// Every directory the tests made is gone once they ran: none is left in the system temp folder.
afterAll(() => {
  for (const dir of everMade) expect(existsSync(dir), dir).toBe(false);
});

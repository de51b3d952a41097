/**
 * On PostgreSQL a process with nothing but its status and log to record ends in one statement, with the log's
 * size and SHA-256 taken from what its writer stored (not read back), and tells log followers on every node in
 * that statement. These check what a reader sees: the recorded `log` file matches the log's bytes (also when
 * an earlier run left lines in it, where the writer alone cannot know the whole), one `log` file per process,
 * and a follower in another engine learns that the process ended.
 */
import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { followLog } from "../src/engine/log-reader.js";
import { parseArgv } from "../src/engine/parameters.js";
import { logPathRel } from "../src/engine/paths.js";
import { appendChunk } from "../src/store/queries/file-chunks.js";
import { listProcessFiles } from "../src/store/queries/process-files.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const { cleanups } = pg;

async function engine(url: string): Promise<Engine> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const e = await testEngine(dir.dir, { databaseUrl: url, fileStore: "postgres" });
  cleanups.push(() => e.close());
  expect(e.files.kind).toBe("postgres");
  return e;
}

async function logBytes(e: Engine, id: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of e.files.read(logPathRel(id))) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function recordedLog(e: Engine, id: number) {
  const files = await listProcessFiles(e.store.db, id, "log");
  expect(files).toHaveLength(1);
  return files[0];
}

it("the log recorded at the end matches its bytes, whether this run wrote all of it or an earlier run began it", async () => {
  const url = await pg.server.database();
  const e = await engine(url);
  const dispatcher = e.createDispatcher({ pollMs: 5 });
  cleanups.push(() => dispatcher.stop(50));
  const echo = e.scripts.require("echo");
  const fresh = await e.service.createProcess({
    script: "echo",
    parameters: parseArgv(echo, ["-m", "hello"]),
    startedBy: { source: "cli" },
  });
  const earlier = await e.service.createProcess({
    script: "echo",
    parameters: parseArgv(echo, ["-m", "again"]),
    startedBy: { source: "cli" },
  });
  // Lines an earlier run of it left (a re-queued process runs again and appends to its log).
  await appendChunk(e.store.db, earlier.id, logPathRel(earlier.id), Buffer.from("earlier run line\n"));
  await dispatcher.start();
  for (const [p, said] of [
    [fresh, "message: hello"],
    [earlier, "message: again"],
  ] as const) {
    const done = await waitForStatus(e, p.id, "COMPLETED");
    expect(done.exitMessage).toBeNull();
    const bytes = await logBytes(e, p.id);
    expect(bytes.toString()).toContain(said);
    const log = await recordedLog(e, p.id);
    expect(log.size).toBe(bytes.length);
    expect(log.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(log.name).toBe(`echo-${p.id}.log`);
  }
  expect((await logBytes(e, earlier.id)).toString()).toMatch(/^earlier run line\n/);
});

it("a follower in another engine sees the process end and every line of its log", async () => {
  const url = await pg.server.database();
  const [worker, server] = [await engine(url), await engine(url)];
  const p = await server.service.createProcess({
    script: "echo",
    parameters: parseArgv(worker.scripts.require("echo"), ["-m", "followed"]),
    startedBy: { source: "cli" },
  });
  const lines: string[] = [];
  const followed = (async () => {
    for await (const text of followLog(server.store, server.files, server.events, p.id, { pollMs: 60_000 }))
      lines.push(text);
  })();
  const dispatcher = worker.createDispatcher({ pollMs: 5 });
  cleanups.push(() => dispatcher.stop(50));
  await dispatcher.start();
  await waitForStatus(worker, p.id, "COMPLETED");
  // With a minute between polls, the follower ends in time only because it was told the process ended.
  await followed;
  expect(lines.join("")).toContain("message: followed");
  expect(lines.join("")).toMatch(/COMPLETED/);
}, 30_000);

/**
 * `fileStore: postgres`: uploads, outputs and logs in PostgreSQL chunks, so nodes with separate data
 * directories (here: engines in one OS process, each its own empty data directory) read what the others wrote.
 * The same across real OS processes: test/cluster.files.test.ts.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv, parseProperties } from "../src/engine/parameters.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const { cleanups } = pg;

const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** `n` engines on one database, each with its own empty data directory and the postgres file store. */
async function nodes(n: number) {
  const url = await pg.server.database();
  const made: { engine: Engine; dir: string }[] = [];
  for (let i = 0; i < n; i++) {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const engine = await testEngine(dir.dir, {
      databaseUrl: url,
      fileStore: "postgres",
      heartbeatMs: 1000,
      leaseMs: 2000,
    });
    cleanups.push(() => engine.close());
    expect(engine.files.kind).toBe("postgres");
    made.push({ engine, dir: dir.dir });
  }
  return made;
}

async function work(engine: Engine) {
  const dispatcher = engine.createDispatcher({ pollMs: 5 });
  cleanups.push(() => dispatcher.stop(50));
  await dispatcher.start();
}

const chunkCount = async (engine: Engine, processId: number) => {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from file_chunks
    where process_id = ${processId}`.execute(engine.store.db);
  return rows[0].n;
};

it("an upload made on one node is run on another and its output and log read back on the first, byte for byte", async () => {
  const [a, b] = await nodes(2);
  await work(b.engine);
  const files = a.engine.scripts.require("files");
  const p = await a.engine.service.createProcess({
    script: "files",
    parameters: parseProperties(files, [{ name: "-i", value: "in.txt" }]),
    startedBy: { source: "rest" },
    uploads: [{ name: "in.txt", buffer: Buffer.from("abc\nünï\n") }],
  });
  // The upload is in the database, not in a directory the worker could not see.
  expect(await readdir(join(a.dir, "processes")).catch(() => [])).toEqual([]);
  await waitForStatus(a.engine, p.id, "COMPLETED");
  const all = await a.engine.service.listFiles(p.id);
  const report = all.find((f) => f.type === "report");
  expect(report).toMatchObject({ size: Buffer.byteLength("ABC\nÜNÏ\n"), sha256: sha("ABC\nÜNÏ\n") });
  const bytes: Buffer[] = [];
  for await (const c of (await a.engine.service.openFile(p.id, report?.id ?? 0)).stream()) bytes.push(c);
  expect(Buffer.concat(bytes).toString("utf8")).toBe("ABC\nÜNÏ\n");
  const log = (await a.engine.service.readLog(p.id)).text;
  expect(log).toMatch(/INFO process \d+ \(files\) started by cli|started by rest/);
  expect(log).toMatch(/COMPLETED/);
  const logFile = all.find((f) => f.type === "log");
  expect(logFile).toMatchObject({ size: Buffer.byteLength(log), sha256: sha(log) });
  // The worker's working copy is gone once the files are in the database.
  await waitFor("the worker's copy dropped", async () =>
    (await readdir(join(b.dir, "processes")).catch(() => [])).length === 0 ? true : undefined,
  );
  expect(await chunkCount(a.engine, p.id)).toBeGreaterThanOrEqual(3);
  // Deleting the process (as the process cleaner does) deletes its chunks.
  await a.engine.service.deleteProcess(p.id);
  expect(await chunkCount(a.engine, p.id)).toBe(0);
});

it("a log is followed live on another node, woken by notifications (no polling), to its end", async () => {
  const [a, b] = await nodes(2);
  await work(b.engine);
  const chatty = a.engine.scripts.require("chatty");
  const p = await a.engine.service.createProcess({
    script: "chatty",
    parameters: parseArgv(chatty, ["-l", "3"]),
    startedBy: { source: "cli" },
  });
  const seen: string[] = [];
  // A fallback poll of a minute: only a notification can bring the lines within the test's time.
  const following = (async () => {
    for await (const line of a.engine.service.followLog(p.id, { pollMs: 60_000 })) seen.push(line);
  })();
  await waitFor("3 lines while RUNNING", () => seen.filter((l) => / INFO line \d$/.test(l)).length === 3);
  expect((await a.engine.service.getProcess(p.id))?.status).toBe("RUNNING");
  await a.engine.service.cancelProcess(p.id);
  await following;
  expect(seen.at(-1)).toMatch(/CANCELLED/);
  expect(`${seen.join("\n")}\n`).toBe((await a.engine.service.readLog(p.id)).text);
});

it("cancel before start writes its last line into the PostgreSQL log, hashed as recorded", async () => {
  const [a] = await nodes(1);
  const trivial = a.engine.scripts.require("trivial");
  const p = await a.engine.service.createProcess({
    script: "trivial",
    parameters: parseArgv(trivial, []),
    startedBy: { source: "cli" },
  });
  await a.engine.service.cancelProcess(p.id);
  const log = (await a.engine.service.readLog(p.id)).text;
  expect(log).toMatch(/INFO CANCELLED before it started\n$/);
  const [file] = await a.engine.service.listFiles(p.id, "log");
  expect(file).toMatchObject({ size: Buffer.byteLength(log), sha256: sha(log) });
  expect(await readdir(a.dir)).not.toContain("processes");
});

it("fileStore defaults to postgres on PostgreSQL, directory on SQLite, and postgres without PostgreSQL is refused", async () => {
  const env = { NIGHTSHIFT_DATABASE_URL: "postgres://u:p@127.0.0.1:1/db" };
  expect((await loadConfig({ env })).fileStore).toBe("postgres");
  expect((await loadConfig({ env: { ...env, NIGHTSHIFT_FILE_STORE: "directory" } })).fileStore).toBe(
    "directory",
  );
  expect((await loadConfig({ env: {} })).fileStore).toBe("directory");
  await expect(loadConfig({ env: { NIGHTSHIFT_FILE_STORE: "postgres" } })).rejects.toThrow(
    /NIGHTSHIFT_FILE_STORE.*set databaseUrl/,
  );
  await expect(loadConfig({ env: { ...env, NIGHTSHIFT_FILE_STORE: "s3" } })).rejects.toThrow(
    /must be directory or postgres/,
  );
});

// bench/file-store.ts does the same with 200 MB (BENCH_FILE_MB) and reports the peak RSS growth.
it("a file of 100 MB is written and read streaming: memory stays flat", async () => {
  const [a] = await nodes(1);
  const trivial = a.engine.scripts.require("trivial");
  const p = await a.engine.service.createProcess({
    script: "trivial",
    parameters: parseArgv(trivial, []),
    startedBy: { source: "cli" },
  });
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const source = join(dir.dir, "big.csv");
  const MB = 1024 * 1024;
  const size = 100 * MB + 12_345;
  const expected = createHash("sha256");
  const out = createWriteStream(source);
  const block = Buffer.alloc(MB);
  for (let written = 0, n = 0; written < size; n++) {
    block.fill(`row ${n},`);
    const piece = block.subarray(0, Math.min(MB, size - written));
    expected.update(piece);
    written += piece.length;
    if (!out.write(piece)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  out.end();
  await finished(out);
  const digest = expected.digest("hex");

  // Live memory, not RSS: RSS also counts garbage a busy test run has not collected yet (CI ran other
  // files beside this one), so each sample collects first and reads what is still reachable.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const live = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const base = live();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, live());
  }, 50);
  try {
    const rel = `processes/${p.id}/files/big.csv`;
    const put = await a.engine.files.put(a.engine.store.db, p.id, rel, source);
    expect(put).toEqual({ size, sha256: digest });
    const back = createHash("sha256");
    let got = 0;
    for await (const chunk of a.engine.files.read(rel)) {
      back.update(chunk as Buffer);
      got += (chunk as Buffer).length;
    }
    expect({ got, sha256: back.digest("hex") }).toEqual({ got: size, sha256: digest });
  } finally {
    clearInterval(sampler);
  }
  // Whole, the file would be 100 MB in memory: a few chunks in flight are far less.
  expect(peak - base).toBeLessThan(50 * MB);
}, 180_000);

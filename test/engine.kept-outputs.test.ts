/**
 * Outputs kept with checkpoints (`ctx.checkpoint.keep`, FileStore `sync`), on both file stores: what a local
 * file gained since the last save becomes readable by every node in the save's transaction (PostgreSQL: as
 * chunks of at most 1 MB; a directory: the file itself), listed among the process's files with the size
 * saved; a save that is not the process's own stores nothing; the process's end records the file whole.
 */
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { type CheckpointFiles, createCheckpoint } from "../src/engine/checkpoint.js";
import type { OutputFile } from "../src/engine/context.js";
import type { Engine } from "../src/engine/engine.js";
import { ProcessNotOwnedError } from "../src/engine/errors.js";
import { parseArgv } from "../src/engine/parameters.js";
import { CHUNK_BYTES } from "../src/store/queries/file-chunks.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const { cleanups } = pg;
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

async function bytesOf(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** An engine of `kind`'s store with a process (queued, never run) whose output `report.csv` is kept. */
async function setUp(kind: "directory" | "postgres") {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const engine: Engine = await testEngine(
    dir.dir,
    kind === "postgres" ? { databaseUrl: await pg.server.database(), fileStore: "postgres" } : {},
  );
  cleanups.push(() => engine.close());
  expect(engine.files.kind).toBe(kind);
  const p = await engine.service.createProcess({
    script: "trivial",
    parameters: parseArgv(engine.scripts.require("trivial"), []),
    startedBy: { source: "cli" },
  });
  const output: OutputFile = { name: "report.csv", type: "report", path: `processes/${p.id}/files/abc.csv` };
  const abs = join(dir.dir, output.path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, "");
  const files: CheckpointFiles = {
    files: engine.files,
    dataDir: dir.dir,
    outputs: [output],
    kept: new Set(),
    now: () => Date.now(),
  };
  return { engine, id: p.id, output, abs, files };
}

describe.each(["directory", "postgres"] as const)("the %s store", (kind) => {
  it("a save makes the kept output's bytes so far readable by its name, listed with the size saved", async () => {
    const { engine, id, output, abs, files } = await setUp(kind);
    const checkpoint = createCheckpoint(engine.store, id, undefined, files);
    expect(checkpoint.keep(abs)).toEqual({ name: output.path, live: kind === "directory" });
    expect(() => checkpoint.keep(join(dirname(abs), "other.csv"))).toThrow(/not an output of process/);

    // Grown in steps, one past a chunk's size: each save adds what came since the last one.
    const expected: Buffer[] = [];
    for (const size of [10, 0, CHUNK_BYTES + 5, 3]) {
      const part = Buffer.alloc(size, String(expected.length % 10));
      appendFileSync(abs, part);
      expected.push(part);
      await checkpoint.save({ step: expected.length });
      const all = Buffer.concat(expected);
      // Compared by hash: a deep equality of megabytes is slow.
      expect(sha(await bytesOf(checkpoint.read(output.path)))).toBe(sha(all));
      const [listed] = await engine.service.listFiles(id, "report");
      expect(listed).toMatchObject({ name: "report.csv", path: output.path, size: all.length, sha256: null });
    }
    expect(await checkpoint.get()).toEqual({ step: 4 });
    // Bytes written after the last save: read at once from a directory, not from PostgreSQL before a save.
    appendFileSync(abs, "late");
    const read = await bytesOf(checkpoint.read(output.path));
    expect(read.subarray(-4).toString()).toBe(kind === "directory" ? "late" : "2333");
    if (kind === "postgres") {
      const { rows } = await sql<{ size: number }>`select octet_length(data) as size from file_chunks
        where path = ${output.path} order by start`.execute(engine.store.db);
      expect(rows.every((r) => r.size <= CHUNK_BYTES)).toBe(true);
    }
    expect(() => checkpoint.read("../../etc/passwd")).toThrow(/not a kept output's name/);
  });

  it("a save refused (the process is not running on this worker) stores and lists nothing", async () => {
    const { engine, id, output, abs, files } = await setUp(kind);
    const checkpoint = createCheckpoint(engine.store, id, "some-other-worker", files);
    checkpoint.keep(abs);
    appendFileSync(abs, "row 1\r\n");
    await expect(checkpoint.save({ n: 1 })).rejects.toBeInstanceOf(ProcessNotOwnedError);
    expect(await engine.service.listFiles(id, "report")).toEqual([]);
    expect(await checkpoint.get()).toBeUndefined();
    if (kind === "postgres") {
      const { rows } = await sql`select 1 from file_chunks where path = ${output.path}`.execute(
        engine.store.db,
      );
      expect(rows).toEqual([]);
    }
  });

  it("sync after the last save stores the rest: the whole file, as put would have", async () => {
    const { engine, id, output, abs, files } = await setUp(kind);
    const checkpoint = createCheckpoint(engine.store, id, undefined, files);
    checkpoint.keep(abs);
    appendFileSync(abs, "a,b\r\n");
    await checkpoint.save({});
    appendFileSync(abs, Buffer.alloc(3 * CHUNK_BYTES, "x"));
    // Outside a transaction (as finalize calls it): the store opens its own.
    const size = await engine.files.sync(engine.store.db, id, output.path, abs);
    const whole = Buffer.concat([Buffer.from("a,b\r\n"), Buffer.alloc(3 * CHUNK_BYTES, "x")]);
    expect(size).toBe(whole.length);
    const read = await bytesOf(engine.files.read(output.path));
    expect(sha(read)).toBe(sha(whole));
    // Nothing new: nothing stored again.
    expect(await engine.store.write((db) => engine.files.sync(db, id, output.path, abs))).toBe(whole.length);
    expect(sha(await bytesOf(engine.files.read(output.path)))).toBe(sha(whole));
  });
});

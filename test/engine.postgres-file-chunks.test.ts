/**
 * How `fileStore: postgres` cuts a file into chunks and reads it back (src/engine/file-store-postgres.ts):
 * sizes at the chunk and read-batch edges, every byte value, the SHA-256 recorded, one transaction per file,
 * and pooled connections given back by a reader that stops half-way.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "kysely";
import { expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { poolOf } from "../src/store/postgres/connect.js";
import { appendChunk, CHUNK_BYTES, insertChunk } from "../src/store/queries/file-chunks.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir, testEngine, waitFor } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const { cleanups } = pg;

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function setup() {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const engine = await testEngine(dir.dir, {
    databaseUrl: await pg.server.database(),
    fileStore: "postgres",
  });
  cleanups.push(() => engine.close());
  const trivial = engine.scripts.require("trivial");
  const p = await engine.service.createProcess({
    script: "trivial",
    parameters: parseArgv(trivial, []),
    startedBy: { source: "cli" },
  });
  let n = 0;
  /** Writes `bytes` to a local file and returns its path and a fresh path in the store. */
  const source = async (bytes: Buffer) => {
    const abs = join(dir.dir, `source-${++n}`);
    await writeFile(abs, bytes);
    return { abs, rel: `processes/${p.id}/files/f${n}.bin` };
  };
  return { engine, processId: p.id, source };
}

async function readAll(engine: Engine, rel: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of engine.files.read(rel)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const chunkSizes = async (engine: Engine, rel: string) => {
  const { rows } = await sql<{ start: number; n: number }>`select start, octet_length(data) as n
    from file_chunks where path = ${rel} order by start`.execute(engine.store.db);
  return rows.map((r) => [Number(r.start), Number(r.n)]);
};

/** Bytes of every value in a different order in each chunk. */
const content = (size: number) => {
  const bytes = randomBytes(size);
  every.copy(bytes, 0, 0, Math.min(256, size));
  return bytes;
};

it("files of 0, 1 and 256 bytes, one chunk, a read batch of chunks and one byte either side come back byte for byte, hashed as recorded", async () => {
  const { engine, processId, source } = await setup();
  const sizes = [0, 1, 256, CHUNK_BYTES, 4 * CHUNK_BYTES - 1, 4 * CHUNK_BYTES, 4 * CHUNK_BYTES + 1];
  for (const size of sizes) {
    const bytes = size === 256 ? every : content(size);
    const { abs, rel } = await source(bytes);
    const put = await engine.files.put(engine.store.db, processId, rel, abs);
    expect(put, `${size} bytes`).toEqual({ size, sha256: sha(bytes) });
    const back = await readAll(engine, rel);
    expect(back.length, `${size} bytes`).toBe(size);
    expect(back.equals(bytes), `${size} bytes byte for byte`).toBe(true);
    // Chunks are whole CHUNK_BYTES but the last; an exact multiple has no empty tail; empty is one empty chunk.
    const whole = Math.floor(size / CHUNK_BYTES);
    const expected = Array.from({ length: whole }, (_, i) => [i * CHUNK_BYTES, CHUNK_BYTES]);
    if (size % CHUNK_BYTES || size === 0) expected.push([whole * CHUNK_BYTES, size % CHUNK_BYTES]);
    expect(await chunkSizes(engine, rel), `${size} bytes`).toEqual(expected);
    // The working copy a worker fetches holds the same bytes.
    expect((await readFile(await engine.files.fetch(rel))).equals(bytes)).toBe(true);
  }
}, 60_000);

it("a file is stored in one transaction: one that fails half-way leaves none of its chunks", async () => {
  const { engine, processId, source } = await setup();
  const bytes = content(3 * CHUNK_BYTES + 10);
  const { abs, rel } = await source(bytes);
  // A chunk already at the third chunk's place: the put fails there, after two chunks were sent.
  await insertChunk(engine.store.db, processId, rel, 2 * CHUNK_BYTES, Buffer.from("in the way"));
  await expect(engine.files.put(engine.store.db, processId, rel, abs)).rejects.toThrow(/duplicate key/);
  expect(await chunkSizes(engine, rel)).toEqual([[2 * CHUNK_BYTES, 10]]);
});

it("a put inside the caller's transaction is that transaction's: rolled back with it, kept when it commits", async () => {
  const { engine, processId, source } = await setup();
  const bytes = content(CHUNK_BYTES + 5);
  const first = await source(bytes);
  await expect(
    engine.store.write(async (tx) => {
      await engine.files.put(tx, processId, first.rel, first.abs);
      throw new Error("the caller gives up");
    }),
  ).rejects.toThrow(/gives up/);
  expect(await chunkSizes(engine, first.rel)).toEqual([]);
  await expect(readAll(engine, first.rel)).rejects.toThrow(/are not in the file store/);
  const put = await engine.store.write((tx) => engine.files.put(tx, processId, first.rel, first.abs));
  expect(put).toEqual({ size: bytes.length, sha256: sha(bytes) });
  expect((await readAll(engine, first.rel)).equals(bytes)).toBe(true);
});

it("readers stopped half-way give their pooled connections back", async () => {
  const { engine, processId, source } = await setup();
  const bytes = content(9 * CHUNK_BYTES);
  const { abs, rel } = await source(bytes);
  await engine.files.put(engine.store.db, processId, rel, abs);
  const pool = poolOf(engine.store.db);
  if (!pool) throw new Error("the engine's store has no pool");
  // More readers than the pool has connections (10): a leak would leave the last ones waiting for ever.
  for (let i = 0; i < 25; i++) {
    const stream = engine.files.read(rel);
    let got = 0;
    for await (const chunk of stream) {
      got += (chunk as Buffer).length;
      if (got > (i % 6) * CHUNK_BYTES) break; // for-await's break destroys the stream
    }
    expect(stream.destroyed).toBe(true);
  }
  await waitFor("every connection back in the pool", () => pool.totalCount - pool.idleCount === 0);
  expect(pool.waitingCount).toBe(0);
  expect((await readAll(engine, rel)).equals(bytes)).toBe(true);
}, 60_000);

it("a log of many small appends is read whole, in follow-sized steps, tailed and hashed as written", async () => {
  const { engine, processId } = await setup();
  const rel = `processes/${processId}/process.log`;
  // 300 appends of 1 to 40 KB (5-6 MB): several reads' worth of bytes, each read spanning many chunks.
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    // The last lines short: tail reads the last 64 KB only.
    const line = `${i} ${"é".repeat(i >= 297 ? i : 1 + ((i * 7919) % 20_000))}\n`;
    lines.push(line);
    await appendChunk(engine.store.db, processId, rel, Buffer.from(line));
  }
  const text = lines.join("");
  expect((await engine.files.logs.read(processId, 0, Number.POSITIVE_INFINITY)).text).toBe(text);
  // Steps of 1 MB, as a follower reads: whole lines each time, nothing lost or read twice.
  let at = 0;
  let stepped = "";
  for (;;) {
    const step = await engine.files.logs.read(processId, at, CHUNK_BYTES);
    if (step.nextByte === at) break;
    expect(step.text.endsWith("\n")).toBe(true);
    stepped += step.text;
    at = step.nextByte;
  }
  expect(stepped).toBe(text);
  expect(await engine.files.logs.tail(processId, 3)).toEqual(lines.slice(-3).map((l) => l.slice(0, -1)));
  const bytes = Buffer.from(text);
  expect(await engine.files.logs.hash(processId)).toEqual({
    path: rel,
    size: bytes.length,
    sha256: sha(bytes),
  });
  // Inside a transaction (as a run's end hashes it) the same, read on that transaction's connection.
  expect(await engine.store.write((tx) => engine.files.logs.hash(processId, tx))).toMatchObject({
    sha256: sha(bytes),
  });
}, 60_000);

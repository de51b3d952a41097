/**
 * The chunks of a file or log kept in the database (`fileStore: postgres`). A file is written in chunks of at
 * most CHUNK_BYTES at increasing `start`s and read a few chunks per query, so neither side holds more than a
 * few chunks in memory whatever the file's size.
 */
import { sql } from "kysely";
import { escapeLiteral } from "pg";
import { poolOf } from "../postgres/connect.js";
import { copyOut } from "../postgres/copy-out.js";
import type { Db } from "../store.js";

/** Largest chunk written (1 MB): big enough that a 1 GB report is 1,000 rows, small enough to stream. */
export const CHUNK_BYTES = 1024 * 1024;

/** The channel a log append notifies, with the process id as payload (PostgreSQL only). */
export const LOG_CHANNEL = "nightshift_log";

export interface Chunk {
  readonly start: number;
  readonly data: Buffer;
}

/** Writes one chunk at `start` (a new file's chunks: 0, then each one's end). */
export async function insertChunk(
  db: Db,
  processId: number,
  path: string,
  start: number,
  data: Uint8Array,
): Promise<void> {
  await sql`insert into file_chunks (process_id, path, start, data)
    values (${processId}, ${path}, ${start}, ${Buffer.from(data.buffer, data.byteOffset, data.byteLength)})`.execute(
    db,
  );
}

/**
 * Appends a chunk at the current end of `path` and notifies LOG_CHANNEL, in one statement; returns where it
 * went. Two appenders at once on one path collide on the primary key: the loser's statement fails and is
 * run again by the caller.
 */
export async function appendChunk(
  db: Db,
  processId: number,
  path: string,
  data: Uint8Array,
): Promise<number> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const { rows } = await sql<{ start: number | string }>`
    with at as (
      select coalesce((select start + octet_length(data) from file_chunks
        where path = ${path} order by start desc limit 1), 0) as start
    ), ins as (
      insert into file_chunks (process_id, path, start, data)
      select ${processId}, ${path}, at.start, ${bytes} from at
      returning start
    )
    select ins.start, pg_notify(${LOG_CHANNEL}, ${String(processId)}) from ins`.execute(db);
  return Number(rows[0]?.start ?? 0);
}

/** The chunks holding bytes from `fromByte` on, in order, the first `limit` of them. */
export function readChunks(db: Db, path: string, fromByte: number, limit: number): Promise<Chunk[]> {
  return selectChunks(db, path, fromByte, { limit });
}

/**
 * The chunks holding the bytes from `fromByte` up to `toByte` (excluded), in order: as many as hold them, so
 * a log's hundreds of small appends come in one query, and at most `toByte - fromByte` + one chunk in memory.
 */
export function readChunkRange(db: Db, path: string, fromByte: number, toByte: number): Promise<Chunk[]> {
  return selectChunks(db, path, fromByte, { toByte });
}

/**
 * On the store's own pool the chunks come by binary COPY, raw bytes (copy-out.ts: a bytea selected the usual
 * way arrives as hex text, ~10x slower to read); inside a transaction, by a plain select on its connection.
 * A chunk is never longer than CHUNK_BYTES: the one holding fromByte starts after fromByte - CHUNK_BYTES.
 */
async function selectChunks(
  db: Db,
  path: string,
  fromByte: number,
  { limit, toByte }: { limit?: number; toByte?: number },
): Promise<Chunk[]> {
  const pool = poolOf(db);
  if (!pool) {
    const { rows } = await sql<{ start: number | string; data: Buffer }>`
      select start, data from file_chunks
      where path = ${path} and start > ${fromByte - CHUNK_BYTES} and start + octet_length(data) > ${fromByte}
      ${toByte === undefined ? sql`` : sql`and start < ${toByte}`}
      order by start ${limit === undefined ? sql`` : sql`limit ${limit}`}`.execute(db);
    return rows.map((r) => ({ start: Number(r.start), data: r.data }));
  }
  // COPY takes no parameters: the values are inlined, the path as a literal, the numbers checked integers.
  for (const n of [fromByte, limit ?? 0, toByte ?? 0])
    if (!Number.isSafeInteger(n)) throw new Error(`file chunks of ${path}: ${n} is not an integer`);
  const rows = await copyOut(
    pool,
    `select start, data from file_chunks where path = ${escapeLiteral(path)}
      and start > ${fromByte - CHUNK_BYTES} and start + octet_length(data) > ${fromByte}
      ${toByte === undefined ? "" : `and start < ${toByte}`}
      order by start ${limit === undefined ? "" : `limit ${limit}`}`,
  );
  return rows.map(([start, data]): Chunk => {
    if (!start || !data) throw new Error(`file chunks of ${path}: a chunk without start or data`);
    return { start: Number(start.readBigInt64BE(0)), data };
  });
}

/** The size of the file at `path` (0 when it has no chunk). */
export async function chunkedSize(db: Db, path: string): Promise<number> {
  const { rows } = await sql<{ end: number | string }>`
    select start + octet_length(data) as end from file_chunks where path = ${path}
    order by start desc limit 1`.execute(db);
  return Number(rows[0]?.end ?? 0);
}

/** Whether any chunk of `path` exists. */
export async function hasChunks(db: Db, path: string): Promise<boolean> {
  const { rows } = await sql`select 1 from file_chunks where path = ${path} limit 1`.execute(db);
  return rows.length > 0;
}

/** Deletes every chunk of a process (its row going deletes them too, by cascade). */
export async function deleteChunks(db: Db, processId: number): Promise<number> {
  const result = await sql`delete from file_chunks where process_id = ${processId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

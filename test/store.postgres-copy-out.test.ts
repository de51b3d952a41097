/**
 * Rows out of PostgreSQL by binary COPY (src/store/postgres/copy-out.ts, binary-copy.ts): raw bytes, whatever
 * the bytes, however the messages are cut, and the pooled connection always given back.
 */
import pg from "pg";
import { expect, it } from "vitest";
import { binaryCopyReader, type CopyRow } from "../src/store/postgres/binary-copy.js";
import { copyOut } from "../src/store/postgres/copy-out.js";
import { usePostgres } from "./fixtures/postgres/server.js";

const ctx = usePostgres();

async function pool(max = 2) {
  const made = new pg.Pool({ connectionString: await ctx.server.database(), max });
  ctx.cleanups.push(() => made.end());
  return made;
}

const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
/** In use: connections handed out and not given back. */
const inUse = (p: pg.Pool) => p.totalCount - p.idleCount;

it("gives bytea as its raw bytes, all 256 byte values, an empty one and NULL, int8 as 8 bytes", async () => {
  const p = await pool();
  const rows = await copyOut(
    p,
    `select n::int8, d from (values (1, '\\x${every.toString("hex")}'::bytea), (2, ''::bytea), (3, null)) v(n, d)`,
  );
  expect(rows.map((r) => r[0]?.readBigInt64BE(0))).toEqual([1n, 2n, 3n]);
  expect(rows.map((r) => r[1])).toEqual([every, Buffer.alloc(0), null]);
  expect(inUse(p)).toBe(0);
});

it("reads a value of several MB (many wire messages) byte for byte", async () => {
  const p = await pool();
  const [[data]] = (await copyOut(
    p,
    `select decode(string_agg(lpad(to_hex(i % 256), 2, '0'), ''), 'hex') from generate_series(0, 3 * 1024 * 1024 - 1) i`,
  )) as [CopyRow];
  expect(data?.length).toBe(3 * 1024 * 1024);
  for (const at of [0, 255, 256, 1024 * 1024 + 7, 3 * 1024 * 1024 - 1]) expect(data?.[at]).toBe(at % 256);
});

it("a failing query rejects with the server's error and gives its connection back", async () => {
  const p = await pool(1);
  await expect(copyOut(p, "select 1 / 0")).rejects.toThrow(/division by zero/);
  await expect(copyOut(p, "select nope from nowhere")).rejects.toThrow(/nowhere/);
  expect(inUse(p)).toBe(0);
  // With one connection in the pool, a leak would leave this waiting for ever.
  expect((await copyOut(p, "select 7::int8"))[0]?.[0]?.readBigInt64BE(0)).toBe(7n);
});

it("a connection dropped during the COPY rejects, and the pool opens a new one", async () => {
  const p = await pool(1);
  const [row] = await copyOut(p, "select pg_backend_pid()::int8");
  const pid = Number(row?.[0]?.readBigInt64BE(0));
  const killer = new pg.Client({ connectionString: await ctx.server.database() });
  await killer.connect();
  ctx.cleanups.push(() => killer.end());
  // The victim sleeps inside its COPY; the killer ends it from another connection.
  const victim = copyOut(p, "select pg_sleep(30)::text::bytea").then(
    () => new Error("the COPY ended normally"),
    (err: Error) => err,
  );
  await expect
    .poll(
      async () =>
        (
          await killer.query("select 1 from pg_stat_activity where pid = $1 and wait_event = 'PgSleep'", [
            pid,
          ])
        ).rowCount,
    )
    .toBe(1);
  await killer.query("select pg_terminate_backend($1)", [pid]);
  expect((await victim).message).toMatch(/terminating connection/);
  expect(inUse(p)).toBe(0);
  expect((await copyOut(p, "select 8::int8"))[0]?.[0]?.readBigInt64BE(0)).toBe(8n);
});

/** COPY binary of rows (int8 n, bytea d), built by hand: signature, flags, no extension, rows, trailer. */
function copyBytes(rows: [number, Buffer | null][]): Buffer {
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  for (const [n, d] of rows) {
    const head = Buffer.alloc(2 + 4 + 8 + 4);
    head.writeInt16BE(2, 0);
    head.writeInt32BE(8, 2);
    head.writeBigInt64BE(BigInt(n), 6);
    head.writeInt32BE(d ? d.length : -1, 14);
    parts.push(head, d ?? Buffer.alloc(0));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

it("the binary COPY reader gives the same rows however the stream is cut, down to one byte per message", () => {
  const rows: [number, Buffer | null][] = [
    [1, every],
    [2, Buffer.alloc(0)],
    [3, null],
    [4, Buffer.from("é\n")],
  ];
  const whole = copyBytes(rows);
  for (const step of [1, 2, 3, 5, 7, 19, 64, whole.length]) {
    const got: CopyRow[] = [];
    const reader = binaryCopyReader((row) => got.push(row));
    for (let at = 0; at < whole.length; at += step) reader.push(whole.subarray(at, at + step));
    reader.end();
    expect(got.map(([n, d]) => [Number(n?.readBigInt64BE(0)), d])).toEqual(rows);
  }
});

it("the binary COPY reader refuses a bad signature and a stream cut before its trailer", () => {
  expect(() => binaryCopyReader(() => undefined).push(Buffer.alloc(40))).toThrow(/bad signature/);
  const whole = copyBytes([[1, every]]);
  const reader = binaryCopyReader(() => undefined);
  reader.push(whole.subarray(0, whole.length - 2));
  expect(() => reader.end()).toThrow(/ended before its trailer/);
});

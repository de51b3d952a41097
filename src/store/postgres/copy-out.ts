/**
 * Rows out of PostgreSQL as raw bytes: `COPY (query) TO STDOUT (FORMAT binary)` run on a pooled connection.
 * node-postgres gives a bytea column as hex text (twice the bytes on the wire, decoded as UTF-8, then parsed
 * back from hex in JS: 10x slower than this for file chunks), and its `binary: true` result mode is no way out:
 * pg-protocol decodes every field as UTF-8 text whatever the mode, so bytes >= 0x80 come back corrupted.
 * COPY data arrives as Buffers, untouched. The query runs through node-postgres's public "submittable" hook
 * (an object with `submit(connection)`, as pg-cursor and pg-copy-streams use it).
 */
import type pg from "pg";
import { binaryCopyReader, type CopyRow } from "./binary-copy.js";

/**
 * Runs `query` (a SELECT with its values inlined: COPY takes no parameters) and returns its rows, each field a
 * Buffer in PostgreSQL's binary send format (bytea: its bytes; int8: 8 bytes big-endian) or null.
 *
 * ```ts
 * await copyOut(pool, "select data from file_chunks where path = 'a' order by start") // [[<Buffer ...>], ...]
 * ```
 */
export async function copyOut(pool: pg.Pool, query: string): Promise<CopyRow[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await new Promise<CopyRow[]>((resolve, reject) => {
      client.query(new CopyOutQuery(`copy (${query}) to stdout (format binary)`, resolve, reject));
    });
  } catch (err) {
    // A failed query leaves the connection usable, a dropped one does not: either way it is not reused.
    broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

/** The submittable: node-postgres calls these as the server's messages arrive. */
class CopyOutQuery implements pg.Submittable {
  private readonly rows: CopyRow[] = [];
  private readonly reader = binaryCopyReader((row) => this.rows.push(row));
  private failure: Error | undefined;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly resolve: (rows: CopyRow[]) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.failure) return;
    try {
      // Copied: the chunk is a view of pg-protocol's read buffer, which it reuses for later messages.
      this.reader.push(Buffer.from(msg.chunk));
    } catch (err) {
      this.failure = err as Error;
    }
  }

  /** A server error (the connection then sends ReadyForQuery to the next query) or a dropped connection. */
  handleError(err: Error): void {
    this.settle(err);
  }

  handleReadyForQuery(): void {
    if (!this.failure) {
      try {
        this.reader.end();
      } catch (err) {
        this.failure = err as Error;
      }
    }
    this.settle(this.failure);
  }

  private settle(err: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    if (err) this.reject(err);
    else this.resolve(this.rows);
  }

  // The other messages a query may see; a COPY TO sends none of them that matter.
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as { sendCopyFail(msg: string): void }).sendCopyFail("not a COPY FROM");
  }
}

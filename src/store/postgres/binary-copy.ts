/**
 * PostgreSQL's binary COPY format, read: `COPY ... TO STDOUT (FORMAT binary)` sends a signature and header,
 * then each row as a 16-bit field count and every field as a 32-bit length (-1: NULL) and its bytes, then -1.
 * Fed the CopyData payloads as they come (a row is one message in practice; a field split across messages is
 * joined); a field lying in one message is a view of it, not a copy.
 */

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Signature, flags (int32) and the header extension's length (int32). */
const HEADER_BYTES = SIGNATURE.length + 8;

export type CopyRow = (Buffer | null)[];

export interface BinaryCopyReader {
  /** Takes the next CopyData payload; rows completed by it go to `onRow`. */
  push(data: Buffer): void;
  /** Throws unless the trailer was read (the stream was cut short). */
  end(): void;
}

export function binaryCopyReader(onRow: (row: CopyRow) => void): BinaryCopyReader {
  const parts: Buffer[] = [];
  let available = 0;
  let header = true;
  let done = false;
  let row: CopyRow | undefined;
  let fieldsLeft = 0;

  /** The next `n` bytes, consumed: a view when one part holds them. */
  const take = (n: number): Buffer => {
    available -= n;
    const first = parts[0];
    if (first && first.length > n) {
      parts[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first && first.length === n) return parts.shift() as Buffer;
    const out = Buffer.allocUnsafe(n);
    for (let at = 0; at < n; ) {
      const part = parts[0] as Buffer;
      const used = Math.min(part.length, n - at);
      part.copy(out, at, 0, used);
      at += used;
      if (used === part.length) parts.shift();
      else parts[0] = part.subarray(used);
    }
    return out;
  };
  /** The next `n` bytes, not consumed (the parts holding them joined first when they are split). */
  const peek = (n: number): Buffer => {
    if ((parts[0]?.length ?? 0) < n) {
      const joined = take(n);
      parts.unshift(joined);
      available += n;
    }
    return (parts[0] as Buffer).subarray(0, n);
  };

  const step = (): boolean => {
    if (header) {
      if (available < HEADER_BYTES) return false;
      const head = peek(HEADER_BYTES);
      if (!head.subarray(0, SIGNATURE.length).equals(SIGNATURE))
        throw new Error("binary COPY: bad signature");
      const extension = head.readInt32BE(SIGNATURE.length + 4);
      if (available < HEADER_BYTES + extension) return false;
      take(HEADER_BYTES + extension);
      header = false;
      return true;
    }
    if (!row) {
      if (available < 2) return false;
      const count = take(2).readInt16BE(0);
      if (count === -1) {
        done = true;
        return false;
      }
      row = [];
      fieldsLeft = count;
    }
    while (fieldsLeft > 0) {
      if (available < 4) return false;
      const length = peek(4).readInt32BE(0);
      if (length === -1) {
        take(4);
        row.push(null);
      } else {
        if (available < 4 + length) return false;
        take(4);
        row.push(take(length));
      }
      fieldsLeft--;
    }
    onRow(row);
    row = undefined;
    return true;
  };

  return {
    push(data) {
      if (done) throw new Error("binary COPY: data after the trailer");
      if (data.length === 0) return;
      parts.push(data);
      available += data.length;
      while (!done && step());
    },
    end() {
      if (!done) throw new Error("binary COPY: the stream ended before its trailer");
    },
  };
}

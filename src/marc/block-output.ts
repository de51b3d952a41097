/**
 * Output in large byte blocks, shared by every MARC writer: records are encoded straight into the current
 * block, and whole blocks go to the stream (few writes, backpressure respected).
 *
 * Blocks written to a file stream are used again once the file has them. Fresh memory costs a page fault
 * per 4 KB the first time it is touched; encoding 300 MB into new buffers spent more time in the kernel than
 * the encoding itself. Other streams (a PassThrough, a test's collector) may keep the chunks they are given,
 * so their blocks are never reused.
 */
import { once } from "node:events";
import { WriteStream } from "node:fs";
import type { Writable } from "node:stream";

/** Bytes per block handed to the stream. */
export const BLOCK_SIZE = 1024 * 1024;

/** Blocks kept for reuse at most (a file stream rarely holds more than one or two at a time). */
const SPARES = 4;

export class BlockOutput {
  /** The block being filled: write at `used`, then advance `used`. */
  block: Buffer;
  used = 0;
  private readonly full: Buffer[] = [];
  private readonly spare: Buffer[] = [];
  private readonly reuse: boolean;

  constructor(private readonly out: Writable) {
    this.reuse = out instanceof WriteStream;
    this.block = Buffer.allocUnsafe(BLOCK_SIZE);
  }

  /** Makes `bytes` bytes free at `used`: a block without the room is set aside to be written. */
  reserve(bytes: number): void {
    if (this.used + bytes <= this.block.length) return;
    this.seal();
    if (bytes > this.block.length) this.block = Buffer.allocUnsafe(bytes);
  }

  /** Appends text as UTF-8. */
  text(text: string): void {
    this.reserve(3 * text.length); // at most 3 bytes per UTF-16 unit
    this.used += this.block.write(text, this.used, "utf8");
  }

  /** Appends bytes as they are. */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.block.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Writes the blocks set aside, waiting for `drain` when the stream asks to. */
  async flushFull(): Promise<void> {
    if (this.full.length === 0) return;
    let ok = true;
    for (const chunk of this.full) ok = this.write(chunk);
    this.full.length = 0;
    if (!ok) await once(this.out, "drain");
  }

  /** Writes everything, then ends the stream unless `end` is false (process.stdout/stderr are never ended). */
  async close(end = true): Promise<void> {
    this.seal();
    await this.flushFull();
    const out = this.out;
    if (!end || out === process.stdout || out === process.stderr) return;
    const finished = once(out, "finish");
    out.end();
    await finished;
  }

  private seal(): void {
    if (this.used === 0) return;
    this.full.push(this.block.subarray(0, this.used));
    this.block = this.spare.pop() ?? Buffer.allocUnsafe(BLOCK_SIZE);
    this.used = 0;
  }

  private write(chunk: Buffer): boolean {
    if (!this.reuse || chunk.buffer.byteLength !== BLOCK_SIZE) return this.out.write(chunk);
    // A file stream calls back once the bytes are in the file: the block is free again.
    const block = Buffer.from(chunk.buffer, chunk.byteOffset, BLOCK_SIZE);
    return this.out.write(chunk, (err) => {
      if (!err && this.spare.length < SPARES) this.spare.push(block);
    });
  }
}

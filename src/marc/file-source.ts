/**
 * A file's bytes for the readers: large chunks read into two buffers used in turn.
 *
 * New memory costs a page fault per 4 KB when first touched; a stream's fresh buffer for every read cost
 * more kernel time than the reading. So a chunk stays valid only while the next one is handled: a reader
 * that keeps bytes longer (a record cut by a chunk boundary) copies them.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";

/** Bytes read at a time: few system calls, few records cut by a chunk boundary. */
export const READ_CHUNK = 1024 * 1024;

export async function* fileChunks(path: string, size = READ_CHUNK): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  try {
    const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    for (let turn = 0; ; turn ^= 1) {
      const { bytesRead } = await file.read(buffers[turn], 0, size, null);
      if (bytesRead === 0) return;
      yield buffers[turn].subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/**
 * Like `fileChunks`, read on the calling thread: for a command that does nothing else meanwhile (`nightshift
 * marc`), no round trip through the thread pool per chunk, and no thread pool started at all. Never in a
 * server: it blocks the event loop while the disk answers.
 */
export async function* fileChunksBlocking(path: string, size = READ_CHUNK): AsyncGenerator<Buffer> {
  const fd = openSync(path, "r");
  try {
    const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    for (let turn = 0; ; turn ^= 1) {
      const bytesRead = readSync(fd, buffers[turn], 0, size, null);
      if (bytesRead === 0) return;
      yield buffers[turn].subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

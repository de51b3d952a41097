import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PRIVATE_DIR, PRIVATE_FILE } from "./data-dir.js";
import { generatedFileName } from "./paths.js";

/** A file given with a new process: its display name and where its bytes are. */
export interface Upload {
  readonly name: string;
  readonly path?: string;
  readonly buffer?: Uint8Array;
}

/** An upload copied into the data directory's staging area, hashed on the way. */
export interface StagedFile {
  readonly name: string;
  readonly staged: string;
  readonly fileName: string;
  readonly size: number;
  readonly sha256: string;
}

/** Size and SHA-256 of a file, streamed (flat memory). */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest("hex") };
}

/** Copies uploads under `<dataDir>/staging/<random>/`, generated names only. */
export async function stageUploads(dataDir: string, uploads: readonly Upload[]): Promise<StagedFile[]> {
  if (uploads.length === 0) return [];
  const dir = join(dataDir, "staging", generatedFileName(""));
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  const staged: StagedFile[] = [];
  for (const upload of uploads) {
    const fileName = generatedFileName(upload.name);
    const target = join(dir, fileName);
    const hash = createHash("sha256");
    let size = 0;
    const source = upload.buffer
      ? Readable.from([Buffer.from(upload.buffer)])
      : createReadStream(upload.path ?? "");
    source.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    await pipeline(source, createWriteStream(target, { mode: PRIVATE_FILE }));
    staged.push({ name: upload.name, staged: target, fileName, size, sha256: hash.digest("hex") });
  }
  return staged;
}

/** Moves staged files into a process's files directory. */
export async function moveStaged(files: readonly StagedFile[], targetDir: string): Promise<void> {
  if (files.length === 0) return;
  await mkdir(targetDir, { recursive: true, mode: PRIVATE_DIR });
  for (const f of files) await rename(f.staged, join(targetDir, f.fileName));
}

/** Removes what is left of a staging (its files, when the create failed, and its directory). */
export async function removeStaged(files: readonly StagedFile[]): Promise<void> {
  for (const f of files) await rm(f.staged, { force: true });
  if (files.length > 0) await rm(dirname(files[0].staged), { recursive: true, force: true });
}

/**
 * Removes staging and upload directories a crashed create or request left behind: those under
 * `<dataDir>/staging` and `<dataDir>/uploads` not touched for `olderThanMs` (an hour: a live request on
 * another `nightshift` command of the same data directory is never that old). Returns how many went.
 */
export async function sweepLeftovers(dataDir: string, now: number, olderThanMs = 3_600_000): Promise<number> {
  let removed = 0;
  for (const area of ["staging", "uploads"]) {
    const root = join(dataDir, area);
    const entries = await readdir(root).catch(() => [] as string[]);
    for (const name of entries) {
      const path = join(root, name);
      const info = await stat(path).catch(() => undefined);
      if (!info || now - info.mtimeMs < olderThanMs) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

export async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * `nightshift restore FILE --data-dir DIR`: unpacks a backup into an empty (or new) data directory and checks
 * every file against the manifest's SHA-256 before anything may use it. A damaged or foreign archive, a
 * non-empty directory, or a backup from a newer Nightshift is refused with a clear message, and the
 * directory is left as it was found.
 */

import { createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { list } from "tar";
import { expireRunningLeases } from "../store/queries/expire-running-leases.js";
import { openSqliteStore } from "../store/sqlite/index.js";
import { migrations } from "../store/sqlite/migrations.js";
import { RestoreError } from "./errors.js";
import { hashFile, MANIFEST_NAME, type Manifest, parseManifest } from "./manifest.js";

export interface RestoreOptions {
  readonly archive: string;
  readonly dataDir: string;
}

export interface RestoreResult {
  readonly manifest: Manifest;
  /** Processes that were RUNNING when the backup was taken: they end FAILED (lost) at the next start. */
  readonly interrupted: number;
}

export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const { archive, dataDir } = options;
  await stat(archive).catch(() => {
    throw new RestoreError(`no backup archive at ${archive}`);
  });
  const existing = await readdir(dataDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw new RestoreError(`cannot read ${dataDir}: ${err.code ?? err.message}`);
  });
  if (existing?.length)
    throw new RestoreError(
      `${dataDir} is not empty (${existing.length} entr${existing.length === 1 ? "y" : "ies"}): restore only into an empty or new directory`,
    );
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  try {
    return await unpackAndCheck(archive, dataDir);
  } catch (err) {
    // Leave the directory as it was found: empty.
    for (const name of await readdir(dataDir).catch(() => [] as string[]))
      await rm(join(dataDir, name), { recursive: true, force: true });
    throw err;
  }
}

async function unpackAndCheck(archive: string, dataDir: string): Promise<RestoreResult> {
  try {
    await unpack(archive, dataDir);
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    throw new RestoreError(`damaged archive ${archive}: ${(err as Error).message}`);
  }
  const manifestText = await readFile(join(dataDir, MANIFEST_NAME), "utf8").catch(() => {
    throw new RestoreError(
      `damaged archive ${archive}: it has no ${MANIFEST_NAME} (not a Nightshift backup?)`,
    );
  });
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestText);
  } catch (err) {
    throw new RestoreError(`damaged archive ${archive}: ${(err as Error).message}`);
  }
  const known = migrations[migrations.length - 1].version;
  if (manifest.schemaVersion !== null && manifest.schemaVersion > known)
    throw new RestoreError(
      `the backup was written by a newer Nightshift (${manifest.nightshift}, schema version ${manifest.schemaVersion}; this one knows up to ${known}): upgrade Nightshift first`,
    );
  await verify(archive, dataDir, manifest);
  await rm(join(dataDir, MANIFEST_NAME));
  let interrupted = 0;
  if (manifest.dialect === "sqlite") {
    const store = await openSqliteStore(dataDir); // an older backup is migrated here, after a copy of it
    try {
      interrupted = await store.write((db) => expireRunningLeases(db, manifest.createdAt));
    } finally {
      await store.close();
    }
  }
  return { manifest, interrupted };
}

/**
 * Writes the archive's entries under `dataDir`, waiting for every write to finish even when the archive
 * turns out damaged halfway (so the clean-up after a refusal really leaves the directory empty). Only plain
 * files and folders with plain relative names: a link or `..` in an archive could reach outside.
 */
async function unpack(archive: string, dataDir: string): Promise<void> {
  const writes: Promise<unknown>[] = [];
  const open = new Set<{ destroy(err?: unknown): void }>();
  let bad: string | undefined;
  try {
    await list({
      file: archive,
      strict: true,
      noResume: true, // each entry's bytes go to its file below; list() would otherwise discard them
      onReadEntry: (entry) => {
        const path = entry.path.replace(/\/+$/, "");
        const safe = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path) && !path.split("/").includes("..");
        if (!safe || (entry.type !== "File" && entry.type !== "OldFile" && entry.type !== "Directory")) {
          bad ??= entry.path;
          entry.resume();
          return;
        }
        const target = join(dataDir, ...path.split("/"));
        if (entry.type === "Directory") {
          writes.push(mkdir(target, { recursive: true, mode: 0o700 }));
          entry.resume();
          return;
        }
        open.add(entry);
        writes.push(
          mkdir(dirname(target), { recursive: true, mode: 0o700 })
            .then(() =>
              pipeline(entry as unknown as NodeJS.ReadableStream, createWriteStream(target, { mode: 0o600 })),
            )
            .finally(() => open.delete(entry)),
        );
      },
    });
  } catch (err) {
    // A cut-off archive leaves its last entry waiting for bytes that never come: end those writes too.
    for (const entry of open) entry.destroy(err);
    throw err;
  } finally {
    await Promise.allSettled(writes);
  }
  if (bad) throw new RestoreError(`damaged archive ${archive}: unexpected entry ${bad}`);
  for (const result of await Promise.allSettled(writes))
    if (result.status === "rejected") throw result.reason;
}

/** Every listed file present with its size and SHA-256, and nothing unlisted; modes made private. */
async function verify(archive: string, dataDir: string, manifest: Manifest): Promise<void> {
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const file of manifest.files) {
    const path = join(dataDir, ...file.path.split("/"));
    const actual = await hashFile(path).catch(() => undefined);
    if (!actual) throw new RestoreError(`damaged archive ${archive}: ${file.path} is missing`);
    if (actual.size !== file.size || actual.sha256 !== file.sha256)
      throw new RestoreError(
        `damaged archive ${archive}: ${file.path} does not match its SHA-256 in the manifest (${actual.size} bytes, expected ${file.size})`,
      );
    await chmod(path, 0o600);
  }
  for await (const rel of walkAll(dataDir, "")) {
    if (rel === MANIFEST_NAME) continue;
    if (!listed.has(rel)) throw new RestoreError(`damaged archive ${archive}: ${rel} is not in the manifest`);
  }
}

async function* walkAll(root: string, rel: string): AsyncGenerator<string> {
  for (const name of await readdir(join(root, rel))) {
    const child = rel ? `${rel}/${name}` : name;
    const info = await lstat(join(root, ...child.split("/")));
    if (info.isDirectory()) {
      await chmod(join(root, ...child.split("/")), 0o700);
      yield* walkAll(root, child);
    } else yield child;
  }
}

/**
 * `nightshift backup`: one `.tar.gz` with a consistent snapshot of the SQLite database (its online backup
 * API: safe while `serve` and workers run and write), every process file and log, and a manifest with the
 * SHA-256 of each file. On PostgreSQL the archive holds the file store only: the database is `pg_dump`'s.
 *
 * Order matters: the database is copied first, the files after. A running batch fsyncs its report before a
 * checkpoint counts its rows, so the copied report holds at least what the copied checkpoint says, and the
 * interrupted batch can be resumed from the restored copy.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import BetterSqlite3 from "better-sqlite3";
import { create as createTar } from "tar";
import { sqliteFile } from "../store/sqlite/index.js";
import { snapshotSqlite } from "../store/sqlite/snapshot.js";
import { VERSION } from "../version.js";
import { BackupError } from "./errors.js";
import { hashFile, MANIFEST_FORMAT, MANIFEST_NAME, type Manifest, type ManifestFile } from "./manifest.js";

export interface BackupOptions {
  readonly dataDir: string;
  /** Set when the store is PostgreSQL: the database is then not in the archive. */
  readonly databaseUrl?: string;
  /** The archive to write (`.tar.gz`); written under a temporary name, then renamed. */
  readonly to: string;
  readonly now?: () => number;
}

export interface BackupResult {
  readonly archive: string;
  readonly bytes: number;
  readonly manifest: Manifest;
}

/** The folders of a data directory that hold process files and logs (everything else is rebuilt or transient). */
const FILE_AREAS = ["processes"] as const;

export async function backup(options: BackupOptions): Promise<BackupResult> {
  const now = options.now ?? Date.now;
  const dialect = options.databaseUrl ? "postgres" : "sqlite";
  await mkdir(dirname(options.to), { recursive: true });
  const staging = await mkdtemp(join(dirname(options.to), ".nightshift-backup-"));
  try {
    await chmod(staging, 0o700);
    const createdAt = new Date(now()).toISOString();
    let db: DatabaseFacts = {
      schemaVersion: null,
      processes: null,
      byStatus: {},
      processFiles: null,
      users: null,
    };
    const files: ManifestFile[] = [];
    if (dialect === "sqlite") {
      const file = sqliteFile(options.dataDir);
      await stat(file).catch(() => {
        throw new BackupError(`no Nightshift database in ${options.dataDir} (looked for ${basename(file)})`);
      });
      const copy = join(staging, "nightshift.db");
      await snapshotSqlite(file, copy);
      db = readFacts(copy);
      files.push(await describe(copy, "nightshift.db"));
    }
    for (const area of FILE_AREAS) {
      for await (const rel of walk(options.dataDir, area)) {
        files.push(await copyPrefix(join(options.dataDir, rel), join(staging, rel), toPosix(rel)));
      }
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      nightshift: VERSION,
      createdAt,
      dialect,
      schemaVersion: db.schemaVersion,
      counts: {
        processes: db.processes,
        byStatus: db.byStatus,
        processFiles: db.processFiles,
        users: db.users,
        files: files.length,
        bytes: files.reduce((n, f) => n + f.size, 0),
      },
      files,
    };
    await writeFile(join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const entries = [MANIFEST_NAME, ...(dialect === "sqlite" ? ["nightshift.db"] : [])];
    for (const area of FILE_AREAS) if (files.some((f) => f.path.startsWith(`${area}/`))) entries.push(area);
    const part = `${options.to}.part`;
    await createTar({ gzip: true, cwd: staging, file: part, portable: true, mode: 0o600 } as never, entries);
    await chmod(part, 0o600);
    await rename(part, options.to);
    return { archive: options.to, bytes: (await stat(options.to)).size, manifest };
  } catch (err) {
    await rm(`${options.to}.part`, { force: true });
    if ((err as NodeJS.ErrnoException).code === "ENOSPC")
      throw new BackupError(`disk full while writing the backup next to ${options.to}`);
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

interface DatabaseFacts {
  schemaVersion: number | null;
  processes: number | null;
  byStatus: Record<string, number>;
  processFiles: number | null;
  users: number | null;
}

/** Counts read from the snapshot itself, so the manifest describes exactly what the archive holds. */
function readFacts(file: string): DatabaseFacts {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string) => Number((db.prepare(sql).get() as { n: number | null }).n ?? 0);
    const byStatus: Record<string, number> = {};
    for (const row of db.prepare("select status, count(*) as n from processes group by status").all() as {
      status: string;
      n: number;
    }[])
      byStatus[row.status] = row.n;
    return {
      schemaVersion: one("select max(version) as n from migrations"),
      processes: one("select count(*) as n from processes"),
      byStatus,
      processFiles: one("select count(*) as n from process_files"),
      users: one("select count(*) as n from users"),
    };
  } finally {
    db.close();
  }
}

/** Every regular file below `<root>/<area>`, as paths relative to root (links and sockets are skipped). */
async function* walk(root: string, area: string): AsyncGenerator<string> {
  let names: string[];
  try {
    names = (await readdir(join(root, area))).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  for (const name of names) {
    const rel = join(area, name);
    const info = await lstat(join(root, rel)).catch(() => undefined); // removed meanwhile (process cleaner)
    if (info?.isDirectory()) yield* walk(root, rel);
    else if (info?.isFile()) yield rel;
  }
}

/**
 * Copies the first `size` bytes of a file (its size when seen) and hashes them: a log or report that grows
 * while the backup runs is taken as it was at that moment, never torn mid-write by a later size.
 */
async function copyPrefix(from: string, to: string, path: string): Promise<ManifestFile> {
  const { size } = await stat(from);
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  const hash = createHash("sha256");
  let copied = 0;
  await pipeline(
    size === 0 ? [] : createReadStream(from, { start: 0, end: size - 1 }),
    async function* (source) {
      for await (const chunk of source) {
        hash.update(chunk as Buffer);
        copied += (chunk as Buffer).length;
        yield chunk;
      }
    },
    createWriteStream(to, { mode: 0o600 }),
  );
  if (copied !== size) throw new BackupError(`${path} shrank while it was being copied`);
  return { path, size, sha256: hash.digest("hex") };
}

async function describe(file: string, path: string): Promise<ManifestFile> {
  return { path, ...(await hashFile(file)) };
}

function toPosix(rel: string): string {
  return relative(".", rel).split(sep).join("/");
}

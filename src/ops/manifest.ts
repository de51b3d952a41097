/** The manifest inside a backup archive: what it holds, from which Nightshift, with a SHA-256 per file. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export const MANIFEST_NAME = "manifest.json";
export const MANIFEST_FORMAT = "nightshift-backup/1";

export interface ManifestFile {
  /** Relative to the data directory, `/`-separated. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly nightshift: string;
  readonly createdAt: string;
  readonly dialect: "sqlite" | "postgres";
  /** The database's migration level (SQLite; null when the database is PostgreSQL and not in the archive). */
  readonly schemaVersion: number | null;
  readonly counts: {
    readonly processes: number | null;
    readonly byStatus: Readonly<Record<string, number>>;
    readonly processFiles: number | null;
    readonly users: number | null;
    readonly files: number;
    readonly bytes: number;
  };
  readonly files: readonly ManifestFile[];
}

/** Size and SHA-256 of a file, read once. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest("hex") };
}

/** Reads a manifest, refusing anything that is not one of ours (a damaged or foreign archive). */
export function parseManifest(text: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${MANIFEST_NAME} is not JSON`);
  }
  const m = data as Partial<Manifest>;
  if (m?.format !== MANIFEST_FORMAT) throw new Error(`${MANIFEST_NAME} is not a ${MANIFEST_FORMAT} manifest`);
  if (!Array.isArray(m.files)) throw new Error(`${MANIFEST_NAME} lists no files`);
  for (const f of m.files) {
    if (typeof f?.path !== "string" || typeof f.size !== "number" || !/^[0-9a-f]{64}$/.test(String(f.sha256)))
      throw new Error(`${MANIFEST_NAME} has a malformed file entry`);
  }
  return m as Manifest;
}

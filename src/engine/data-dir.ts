/**
 * The data directory holds the database (password hashes, tokens), uploads, logs and outputs: only the service
 * account may read it. A new one is made 0700; an existing one open to others is made 0700 at start, or
 * refused when that is not possible. Files in it are created 0600 (`PRIVATE_FILE`).
 */
import { chmod, mkdir, stat } from "node:fs/promises";
import { DataDirNotPrivateError } from "./errors.js";

/** Mode for every file Nightshift creates under the data directory. */
export const PRIVATE_FILE = 0o600;
/** Mode for every directory Nightshift creates under the data directory. */
export const PRIVATE_DIR = 0o700;

export async function makeDataDirPrivate(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const mode = (await stat(dataDir)).mode & 0o7777;
  if ((mode & 0o077) === 0) return;
  try {
    await chmod(dataDir, PRIVATE_DIR);
  } catch (err) {
    throw new DataDirNotPrivateError(dataDir, mode, (err as NodeJS.ErrnoException).code ?? String(err));
  }
}

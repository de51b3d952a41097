import { chmodSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";

/**
 * Copies the SQLite database at `file` to `to` through SQLite's online backup API: a consistent snapshot
 * (one committed state, WAL included) taken while other connections and OS processes go on reading and
 * writing. The copy is a plain, self-contained database file, private to its owner (0600).
 */
export async function snapshotSqlite(file: string, to: string): Promise<void> {
  const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
  try {
    await source.backup(to);
  } finally {
    source.close();
  }
  chmodSync(to, 0o600);
}

/** `nightshift.db.before-v6.2026-12-02T02-10-00Z.bak`: where the automatic copy before a migration goes. */
export function preMigrationCopyName(file: string, toVersion: number, now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");
  return `${file}.before-v${toVersion}.${stamp}.bak`;
}

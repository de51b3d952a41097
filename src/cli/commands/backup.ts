import { resolve } from "node:path";
import { backup } from "../../ops/backup.js";
import { loadCliConfig, parseArgs, runCommand, UsageError, writeJson } from "../options.js";

export const summary = "write a backup archive (.tar.gz) of the database, process files and logs";

const USAGE = `Usage: nightshift backup --to FILE [--json] [--data-dir DIR] [--config FILE]
Writes one .tar.gz: a consistent snapshot of the SQLite database (safe while serve and workers run), every
process file and log, and manifest.json (version, schema level, counts, SHA-256 of each file).
On PostgreSQL with fileStore: directory the archive holds the file store only; back up the database itself
with pg_dump. With fileStore: postgres (the default there) files and logs are in the database: pg_dump backs
up everything and no archive is written.
Restore with: nightshift restore FILE --data-dir DIR
`;

export default function backupCommand(argv: string[]): Promise<number> {
  return runCommand("backup", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, { to: { type: "string" } });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const config = await loadCliConfig(flags);
    if (config.databaseUrl && config.fileStore === "postgres") {
      // Nothing lives outside the database: an archive of the data directory would hold only working copies.
      const note =
        "the database is PostgreSQL and the file store is in it (fileStore: postgres): pg_dump backs up the database and every process file and log; no archive written";
      if (flags.json) writeJson({ archive: null, dialect: "postgres", fileStore: "postgres", note });
      else process.stdout.write(`${note}\n`);
      return 0;
    }
    if (typeof flags.to !== "string" || !flags.to) throw new UsageError("--to FILE is needed");
    const result = await backup({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      to: resolve(flags.to),
    });
    const { manifest } = result;
    const postgresNote =
      "the database is PostgreSQL: this archive holds the file store (fileStore: directory, process files and logs) only; back up the database with pg_dump";
    if (flags.json) {
      writeJson({
        archive: result.archive,
        bytes: result.bytes,
        nightshift: manifest.nightshift,
        createdAt: manifest.createdAt,
        dialect: manifest.dialect,
        schemaVersion: manifest.schemaVersion,
        counts: manifest.counts,
        ...(manifest.dialect === "postgres" ? { note: postgresNote } : {}),
      });
    } else {
      const c = manifest.counts;
      const lines = [
        `backup written: ${result.archive} (${result.bytes} bytes)`,
        manifest.dialect === "sqlite"
          ? `database: schema ${manifest.schemaVersion}, ${c.processes} processes, ${c.processFiles} process files, ${c.users} users`
          : postgresNote,
        `files: ${c.files} (${c.bytes} bytes), each with its SHA-256 in manifest.json`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    }
    return 0;
  });
}

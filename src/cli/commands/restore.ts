import { resolve } from "node:path";
import { restore } from "../../ops/restore.js";
import { parseArgs, runCommand, UsageError, writeJson } from "../options.js";

export const summary = "restore a backup archive into an empty data directory";

const USAGE = `Usage: nightshift restore FILE --data-dir DIR [--json]
Unpacks a backup written by 'nightshift backup' into DIR, which must be empty or not exist yet, and checks
every file against the SHA-256 in its manifest. A damaged archive, a non-empty directory or a backup from a
newer Nightshift is refused and DIR is left as it was. Processes that were running when the backup was taken
end FAILED (worker lost) at the next start, and can then be resumed with --resume.
`;

export default function restoreCommand(argv: string[]): Promise<number> {
  return runCommand("restore", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {});
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError("one backup archive is needed");
    // The target must be said out loud: restoring into the default ./nightshift-data by accident is too easy.
    const dataDir = typeof flags["data-dir"] === "string" ? flags["data-dir"] : undefined;
    if (!dataDir) throw new UsageError("--data-dir DIR is needed (an empty or new directory)");
    const { manifest, interrupted } = await restore({
      archive: resolve(positionals[0]),
      dataDir: resolve(dataDir),
    });
    if (flags.json) {
      writeJson({
        dataDir: resolve(dataDir),
        nightshift: manifest.nightshift,
        createdAt: manifest.createdAt,
        dialect: manifest.dialect,
        schemaVersion: manifest.schemaVersion,
        counts: manifest.counts,
        interrupted,
      });
    } else {
      const lines = [
        `restored ${manifest.counts.files} files (${manifest.counts.bytes} bytes, every SHA-256 checked) into ${resolve(dataDir)}`,
        `backup of ${manifest.createdAt} by nightshift ${manifest.nightshift}${manifest.schemaVersion === null ? "" : `, schema ${manifest.schemaVersion}`}`,
      ];
      if (manifest.dialect === "postgres")
        lines.push("the database is PostgreSQL: restore it with pg_restore/psql");
      if (interrupted)
        lines.push(
          `${interrupted} process(es) were running when the backup was taken: they end FAILED at the next start and can be resumed`,
        );
      process.stdout.write(`${lines.join("\n")}\n`);
    }
    return 0;
  });
}

import { openStore } from "../../store/index.js";
import { readStoreStatus } from "../../store/status.js";
import { VERSION } from "../../version.js";
import { loadCliConfig, parseArgs, runCommand, UsageError, writeJson } from "../options.js";

export const summary = "show or apply the database's migrations (schema upgrades)";

const USAGE = `Usage: nightshift migrate [--status] [--json] [--data-dir DIR] [--config FILE]
  --status   lists applied and pending migrations, changes nothing
Without --status, applies the pending migrations (serve and worker do this at start). On SQLite a copy of
the database is kept beside it first: nightshift.db.before-v<N>.<time>.bak.
Exit 1 when the database was written by a newer Nightshift.
`;

export default function migrateCommand(argv: string[]): Promise<number> {
  return runCommand("migrate", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, { status: { type: "boolean" } });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const config = await loadCliConfig(flags);
    const before = await readStoreStatus(config);
    if (!flags.status) {
      const store = await openStore(config); // migrates; refuses a newer database, changing nothing
      await store.close();
    }
    const after = flags.status ? before : await readStoreStatus(config);
    const newer = after.current > after.known;
    if (flags.json) {
      writeJson({
        nightshift: VERSION,
        dialect: after.dialect,
        current: after.current,
        known: after.known,
        migrations: after.migrations.map((m) => ({
          version: m.version,
          name: m.name,
          state: m.appliedAt ? "applied" : "pending",
          ...(m.appliedAt ? { appliedAt: m.appliedAt } : {}),
          ...(m.version > after.known ? { unknown: true } : {}),
        })),
      });
    } else {
      const lines = after.migrations.map(
        (m) =>
          `${String(m.version).padStart(4)}  ${(m.appliedAt ? "applied" : "pending").padEnd(8)} ${m.appliedAt ?? "".padEnd(24)}  ${m.name}${m.version > after.known ? " (from a newer Nightshift)" : ""}`,
      );
      const pending = after.migrations.filter((m) => !m.appliedAt).length;
      const applied = before.migrations.filter((m) => !m.appliedAt).length - pending;
      lines.push(
        newer
          ? `the database was written by a newer Nightshift (schema ${after.current}; nightshift ${VERSION} knows up to ${after.known})`
          : flags.status
            ? `${after.dialect}: schema ${after.current} of ${after.known}; ${pending} pending`
            : `${after.dialect}: schema ${after.current}; ${applied} applied now`,
      );
      process.stdout.write(`${lines.join("\n")}\n`);
    }
    return newer ? 1 : 0;
  });
}

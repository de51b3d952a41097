import { accountLines, accountReports } from "../../doctor/accounts.js";
import { parseArgs, runCommand, UsageError, withEngine, writeJson } from "../options.js";

export const summary =
  "the service accounts (never a secret): auth, institution, scopes, SANDBOX/PRODUCTION, use";

const USAGE = `Usage: nightshift accounts [--json] [--data-dir DIR] [--config FILE]
Each service account: auth mode, institution, scopes, SANDBOX or PRODUCTION, which scripts, schedules and
triggers use it, when a process last ran under it and its last error. Secrets are never shown.
`;

export default function accountsCommand(argv: string[]): Promise<number> {
  return runCommand("accounts", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {});
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return withEngine(flags, async (engine) => {
      const list = await accountReports(engine.config, engine.store.db);
      if (flags.json) writeJson({ accounts: list });
      else process.stdout.write(accountLines(list));
      return 0;
    });
  });
}

import { loadConfig } from "../../config/config.js";
import { formatFinding, hasErrors, runDoctor } from "../../doctor/index.js";
import { parseArgs, runCommand, UsageError } from "../options.js";

export const summary =
  "lint the configuration (secrets, accounts, schedules, triggers); --probe asks WorldCat";

const USAGE = `Usage: nightshift doctor [--probe] [--json] [--config FILE]
One finding per line: <severity> <code> <where>: <message> (severity error or warning), then how to fix it.
--probe  also runs the permission probe (worldcat check) for every account
--json   {"findings":[{"severity","code","where","message","fix"}]}
Exit 1 when there is an error, 0 otherwise.
`;

export default function doctorCommand(argv: string[]): Promise<number> {
  return runCommand("doctor", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, { probe: { type: "boolean" } });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    // Not loadCliConfig: the doctor reports inline secrets and bad channels as findings instead of refusing.
    const config = await loadConfig({
      dataDir: flags["data-dir"] as string | undefined,
      configPath: flags.config as string | undefined,
    });
    const findings = await runDoctor(config, { probe: flags.probe === true });
    if (flags.json) process.stdout.write(`${JSON.stringify({ findings })}\n`);
    else for (const f of findings) process.stdout.write(`${formatFinding(f)}; fix: ${f.fix}\n`);
    return hasErrors(findings) ? 1 : 0;
  });
}

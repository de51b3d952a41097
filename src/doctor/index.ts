/**
 * `nightshift doctor`: lints the whole configuration (and, with probe, asks WorldCat what each account may
 * do). Errors make the command exit 1 and stop `serve` and `worker` from starting.
 */
import type { NightshiftConfig } from "../config/config.js";
import { lintConfig, scriptNames } from "./checks.js";
import type { Finding } from "./finding.js";
import { probeFindings } from "./probe.js";

export { type Finding, formatFinding } from "./finding.js";

export async function runDoctor(
  config: NightshiftConfig,
  options: { env?: NodeJS.ProcessEnv; probe?: boolean } = {},
): Promise<Finding[]> {
  const env = options.env ?? process.env;
  const scripts = await scriptNames(config);
  const findings = [...scripts.findings, ...lintConfig(config, env, scripts.names)];
  if (options.probe) findings.push(...(await probeFindings(config, env)));
  // errors first, then by place
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}

export const hasErrors = (findings: readonly Finding[]) => findings.some((f) => f.severity === "error");

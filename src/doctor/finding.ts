/**
 * One finding of `nightshift doctor`: `<severity> <code> <where>: <message>`, with how to fix it. `where` is
 * the config file and line of the key (`/etc/nightshift/config.yaml:12`), or the key path when it is not in a
 * file (the embedded defaults, the environment).
 */
import { locateConfigError, type NightshiftConfig } from "../config/config.js";
import { ConfigError } from "../config/units.js";

export type Severity = "error" | "warning";

export interface Finding {
  readonly severity: Severity;
  readonly code: string;
  readonly where: string;
  readonly message: string;
  readonly fix: string;
}

/** Where a key path is: `file:line` when the config file holds it. */
export function whereOf(config: NightshiftConfig, keyPath: string): string {
  const located = locateConfigError(config, new ConfigError(keyPath, ""));
  if (!located.file) return config.configPath ?? "(no config file)";
  return located.line ? `${located.file}:${located.line}` : located.file;
}

/** Builds findings for one config: `finding("error", "inline-secret", "accounts.a.secret", msg, fix)`. */
export function findingsOf(config: NightshiftConfig) {
  return (severity: Severity, code: string, keyPath: string, message: string, fix: string): Finding => ({
    severity,
    code,
    where: whereOf(config, keyPath),
    message: `${keyPath}: ${message}`,
    fix,
  });
}

export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.code} ${f.where}: ${f.message}`;
}

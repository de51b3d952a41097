/** A trigger's secret by reference: `env:NAME` or `file:PATH` (relative to the config file's folder). */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

/** The secret, or undefined when the reference cannot be read (the event is then refused, 401). */
export function readTriggerSecret(
  ref: string,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (ref.startsWith("env:")) return env[ref.slice(4)] || undefined;
  if (ref.startsWith("file:")) {
    const path = ref.slice(5);
    try {
      return readFileSync(isAbsolute(path) ? path : resolve(baseDir, path), "utf8").trim() || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Secret parameters on the command line are visible to every local user in `ps`. Each secret parameter of
 * `nightshift run` therefore also takes `env:NAME` (an environment variable) or `file:PATH` (the file's content,
 * without its final line end); a value given literally still works, with a warning. Only the command line reads
 * these: over REST a value is taken as written (a REST caller must not read the server's files or environment).
 */
import { readFileSync } from "node:fs";
import type { ParameterDefinition } from "../engine/script.js";

export interface SecretArgumentsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where warnings go (stderr). */
  readonly warn: (message: string) => void;
}

/** The `secretValue` resolver for parseArgv. Never echoes a value. */
export function secretArguments(options: SecretArgumentsOptions) {
  const env = options.env ?? process.env;
  const warned = new Set<string>();
  return (param: ParameterDefinition, written: string): string => {
    const label = param.nameLong ?? param.name;
    if (written.startsWith("env:")) {
      const name = written.slice(4);
      const value = env[name];
      if (value === undefined || value === "")
        throw new Error(`${label}: environment variable ${name} is not set`);
      return value;
    }
    if (written.startsWith("file:")) {
      const path = written.slice(5);
      let value: string;
      try {
        value = readFileSync(path, "utf8").replace(/\r?\n$/, "");
      } catch (err) {
        throw new Error(`${label}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? err})`);
      }
      if (value === "") throw new Error(`${label}: ${path} is empty`);
      return value;
    }
    if (!warned.has(label)) {
      warned.add(label);
      options.warn(
        `warning: ${label} was given on the command line, where other local users can read it (ps); give env:NAME or file:PATH instead`,
      );
    }
    return written;
  };
}

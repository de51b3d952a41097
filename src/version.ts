/** The version of this Nightshift, read once from its package.json (the one source of the number). */
import { readFileSync } from "node:fs";

function readVersion(): string {
  // src/version.ts and dist/version.js both sit one folder below the package root.
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "0.0.0";
}

export const VERSION: string = readVersion();

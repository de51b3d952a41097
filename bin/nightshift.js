#!/usr/bin/env node
// Runs the compiled CLI when built, and the TypeScript sources through tsx otherwise (development, tests).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "main.js");
if (existsSync(built) && !process.env.NIGHTSHIFT_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  // tsx is a development dependency: an installed package runs dist/ and never gets here.
  const tsx = await import("tsx/esm/api").catch(() => undefined);
  if (!tsx) {
    process.stderr.write("nightshift: not built (no dist/) and tsx is not installed: run `npm install && npm run build`\n");
    process.exit(1);
  }
  tsx.register();
  await import(pathToFileURL(join(root, "src", "cli", "main.ts")).href);
}

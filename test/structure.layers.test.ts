/**
 * The engine imports nothing above it: the built-in scripts are plug-ins the composition root (src/cli) hands
 * to the registry, so `src/engine` never imports `src/scripts` (nor the CLI, server or WorldCat layers).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";

const ENGINE = join(import.meta.dirname, "..", "src", "engine");
/** What the engine may import besides itself (docs/architecture.md, "Layers"). */
const ALLOWED = new Set(["store", "config", "errors.ts", "errors.js", "notify"]);

it("src/engine imports only store, config, errors.ts (and the notifications outbox), never src/scripts", async () => {
  const offending: string[] = [];
  for (const name of await readdir(ENGINE, { recursive: true })) {
    if (!name.endsWith(".ts")) continue;
    const text = await readFile(join(ENGINE, name), "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.\.\/[^"]+)"/g)) {
      const depth = name.split("/").length - 1;
      const parts = m[1].split("/");
      const ups = parts.filter((p) => p === "..").length;
      if (ups <= depth) continue; // inside src/engine
      const top = parts[ups];
      if (!ALLOWED.has(top)) offending.push(`${name}: ${m[1]}`);
    }
  }
  expect(offending).toEqual([]);
});

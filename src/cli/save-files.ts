/**
 * `nightshift process <id> --save DIR`: every file of a process copied under its own name (issue 17 item 5),
 * so report.csv, summary.json and failures.txt sit side by side as the script named them. Two files of one
 * name (an upload called report.csv) keep both: the later one gets its id in front (`12-report.csv`).
 */
import { copyFile, mkdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { Engine } from "../engine/engine.js";

/** Copies the files; returns one line per file, `saved <path>`. */
export async function saveFiles(engine: Engine, id: number, dir: string, dataDir: string): Promise<string[]> {
  const files = await engine.service.listFiles(id);
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const taken = new Set<string>();
  const lines: string[] = [];
  for (const f of files) {
    // The display name is what a user or script gave: only its last part, never a path out of DIR.
    const name = basename(f.name.replaceAll("\\", "/")) || `file-${f.id}`;
    const unique = taken.has(name) ? `${f.id}-${name}` : name;
    taken.add(unique);
    const to = join(target, unique);
    await copyFile(resolve(dataDir, f.path), to);
    lines.push(`saved ${to}`);
  }
  return lines;
}

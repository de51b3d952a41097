/**
 * `npm run bench`: runs every benchmark in bench/ (or those named: `npm run bench -- marc-iso2709 engine`)
 * one after the other, each in its own Node process so one cannot warm or starve another, prints what each
 * printed, and writes bench/out/results.json with the output and wall time of each.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const results: { bench: string; ok: boolean; seconds: number; output: string }[] = [];
for (const bench of benches) {
  process.stdout.write(`\n== ${bench} ==\n`);
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", join(dir, `${bench}.ts`)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(run.stdout ?? "");
  results.push({
    bench,
    ok: run.status === 0,
    seconds: Math.round(seconds * 10) / 10,
    output: run.stdout ?? "",
  });
}

const outDir = join(dir, "out");
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, "results.json"),
  `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
);
process.stdout.write("\nbench        ok    seconds\n");
for (const r of results)
  process.stdout.write(`${r.bench.padEnd(12)} ${r.ok ? "yes" : "NO "}   ${r.seconds}\n`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;

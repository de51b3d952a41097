/**
 * Memory of a WorldCat batch at scale: worldcat-holdings over N OCLC numbers (default 1,000,000) through the
 * real script, engine, batch engine and client, against a sandbox in ANOTHER OS process (so its state does
 * not count), printing this process's peak RSS. Holdings are set for real (each number is one request).
 *   npx tsx bench/batch-rss.ts [items] [concurrency]
 * To show the memory is bounded rather than merely collected late, cap the heap:
 *   node --max-old-space-size=64 --import tsx bench/batch-rss.ts
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { worldcatServices } from "../src/worldcat/script-services.js";

const items = Number(process.argv[2] ?? 1_000_000);
const concurrency = Number(process.argv[3] ?? 16);
const dir = await mkdtemp(join(tmpdir(), "nightshift-bench-rss-"));
const accounts = join(dir, "accounts.json");
const account = {
  key: "bench",
  secret: "bench-secret",
  registryId: "128807",
  symbol: "OCPSB",
  scopes: ["WorldCatMetadataAPI"],
};
await writeFile(accounts, JSON.stringify([account]));

const bin = join(import.meta.dirname, "..", "bin", "nightshift.js");
const sandbox = spawn(
  process.execPath,
  [bin, "sandbox", "--port", "0", "--seed", String(items), "--accounts", accounts],
  {
    env: { ...process.env, NIGHTSHIFT_FROM_SOURCE: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: sandbox.stdout! }).on("line", (line) => {
    const m = /listening on (\S+)/.exec(line);
    if (m) resolve(m[1]);
  });
  sandbox.on("exit", (code) => reject(new Error(`sandbox exited ${code}`)));
});

let peak = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 100);
try {
  const input = join(dir, "numbers.txt");
  // Written in slices, so making the input does not inflate this process's memory.
  const stream = createWriteStream(input);
  for (let i = 0; i < items; i += 10_000) {
    const slice = Array.from({ length: Math.min(10_000, items - i) }, (_, j) => 100_000_001 + i + j);
    if (!stream.write(`${slice.join("\n")}\n`)) await once(stream, "drain");
  }
  stream.end();
  await once(stream, "close");
  const base = await loadConfig({ dataDir: join(dir, "data"), env: {} });
  const env = { BENCH_SECRET: account.secret };
  const config = {
    ...base,
    accounts: { sandbox: { ...account, secret: "env:BENCH_SECRET", sandboxUrl: url, concurrency } },
  };
  const services = worldcatServices(config, env);
  const engine = await openEngine({ config, services });
  const dispatcher = engine.createDispatcher({ concurrency: 1 });
  await dispatcher.start();
  const rssBefore = process.memoryUsage().rss;
  peak = rssBefore;
  const script = engine.scripts.require("worldcat-holdings");
  const started = performance.now();
  const p = await engine.service.createProcess({
    script: script.name,
    parameters: parseArgv(script, ["-a", "set", "-i", "numbers.txt", "-c", String(concurrency)]),
    startedBy: { source: "cli" },
    uploads: [{ name: "numbers.txt", path: input }],
  });
  let status = "";
  let result: unknown;
  for (;;) {
    const now = await engine.service.getProcess(p.id);
    if (now && ["COMPLETED", "FAILED", "CANCELLED"].includes(now.status)) {
      status = now.status;
      result = now.result;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.stop(1000);
  await services.close();
  await engine.close();
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  const out = {
    items,
    concurrency,
    status,
    seconds: Math.round(seconds),
    itemsPerSecond: Math.round(items / seconds),
    rssBeforeMb: mb(rssBefore),
    peakRssMb: mb(peak),
    peakHeapUsedMb: mb(peakHeap),
    byOutcome: (result as { byOutcome?: unknown })?.byOutcome,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  clearInterval(sampler);
  sandbox.kill("SIGTERM");
  await rm(dir, { recursive: true, force: true });
}

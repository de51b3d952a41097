/**
 * Master-record creates through the real script (worldcat-bibs create), engine and client against the
 * sandbox over HTTP, and what the unsettled-writes register (recorded before each create, settled after)
 * costs on SQLite:
 *   1. sandbox latency 100 ms, concurrency 8, N new records without a local 035: records/s (ideal 80);
 *   2. the register alone: begin + settle pairs on the engine's SQLite store, one at a time and 8 at once.
 * Run: `npx tsx bench/batch-create.ts [records] [pairs]`. Prints a table and JSON.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createUnsettledWrites } from "../src/engine/unsettled-writes.js";
import { controlField, createRecord, dataField, encodeIso2709, type MarcRecord } from "../src/marc/index.js";
import { startSandbox } from "../src/sandbox/index.js";
import { worldcatServices } from "../src/worldcat/script-services.js";

const records = Number(process.argv[2] ?? 1_000);
const pairs = Number(process.argv[3] ?? 5_000);

function newRecord(i: number): MarcRecord {
  return createRecord({
    leader: "00000nam a2200000 i 4500",
    fields: [
      controlField("008", "240101s2024    nyu           000 0 eng d"),
      dataField("040", " ", " ", [
        ["a", "NSHFT"],
        ["b", "eng"],
        ["e", "rda"],
        ["c", "NSHFT"],
      ]),
      dataField("100", "1", " ", [["a", `Bencher${i}, Night,`]]),
      dataField("245", "1", "0", [["a", `Nightshift bench record ${i} /`]]),
      dataField("264", " ", "1", [["c", "2024"]]),
    ],
  });
}

const sandbox = await startSandbox({ seed: 0, corpus: false, rngSeed: 3, latencyMs: 100 });
const dir = await mkdtemp(join(tmpdir(), "nightshift-bench-create-"));
const a = sandbox.accounts[0];
const base = await loadConfig({ dataDir: join(dir, "data"), env: {} });
const config = {
  ...base,
  accounts: {
    sandbox: {
      key: a.key,
      secret: "env:BENCH_SECRET",
      registryId: a.registryId,
      symbol: a.symbol,
      sandboxUrl: sandbox.url,
      concurrency: 8,
    },
  },
};
const services = worldcatServices(config, { BENCH_SECRET: a.secret });
const engine = await openEngine({ config, services });
const dispatcher = engine.createDispatcher({ concurrency: 1 });
await dispatcher.start();
const rows: { run: string; count: number; seconds: number; perSecond: number }[] = [];
try {
  const input = join(dir, "new.mrc");
  const bytes = Array.from({ length: records }, (_, i) => Buffer.from(encodeIso2709(newRecord(i + 1))));
  await writeFile(input, Buffer.concat(bytes));
  const script = engine.scripts.require("worldcat-bibs");
  const started = performance.now();
  const p = await engine.service.createProcess({
    script: script.name,
    parameters: parseArgv(script, ["-a", "create", "-i", "new.mrc", "-c", "8"]),
    startedBy: { source: "cli" },
    uploads: [{ name: "new.mrc", path: input }],
  });
  let status = "";
  while (!["COMPLETED", "FAILED", "CANCELLED"].includes(status)) {
    await new Promise((r) => setTimeout(r, 50));
    status = (await engine.service.getProcess(p.id))?.status ?? "";
  }
  const seconds = (performance.now() - started) / 1000;
  if (status !== "COMPLETED") throw new Error(`create batch ended ${status}`);
  if (sandbox.state.creations.length !== records) throw new Error("not every record was created once");
  rows.push({
    run: "create, latency 100 ms, concurrency 8",
    count: records,
    seconds,
    perSecond: records / seconds,
  });

  const writes = createUnsettledWrites(engine.store, { now: Date.now }, null);
  const one = async (i: number) => {
    const key = `bench:create-bib:${i}`;
    await writes.begin(key);
    await writes.settle(key);
  };
  let t = performance.now();
  for (let i = 0; i < pairs; i++) await one(i);
  let s = (performance.now() - t) / 1000;
  rows.push({ run: "register begin+settle, one at a time", count: pairs, seconds: s, perSecond: pairs / s });
  t = performance.now();
  for (let i = 0; i < pairs; i += 8)
    await Promise.all(Array.from({ length: 8 }, (_, k) => one(pairs + i + k)));
  s = (performance.now() - t) / 1000;
  rows.push({ run: "register begin+settle, 8 at once", count: pairs, seconds: s, perSecond: pairs / s });
} finally {
  await dispatcher.stop(1000);
  await services.close();
  await engine.close();
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}

process.stdout.write("run                                      count   seconds   per second\n");
for (const r of rows)
  process.stdout.write(
    `${r.run.padEnd(40)} ${String(r.count).padStart(6)} ${r.seconds.toFixed(2).padStart(9)} ${r.perSecond.toFixed(1).padStart(12)}\n`,
  );
const pair = rows.find((r) => r.run.endsWith("one at a time"));
if (pair) process.stdout.write(`register cost per create: ${(1000 / pair.perSecond).toFixed(3)} ms\n`);
process.stdout.write(`${JSON.stringify({ bench: "batch-create", rows })}\n`);

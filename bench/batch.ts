/**
 * WorldCat batch throughput through the real script (worldcat-holdings), engine and client against the
 * sandbox over HTTP, beside a sequential client (one request at a time, what most scripts do today):
 *   1. sandbox latency 100 ms, concurrency 8, 10,000 holdings: items/s (target >= 72, ideal 80);
 *   2. sandbox rate limit 20/s (and the account's rate limit 20/s): items/s (target >= 19), items failed by 429.
 * Run: `npx tsx bench/batch.ts [items] [rateItems] [sequentialItems]`. Prints a table and JSON.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { type SandboxOptions, startSandbox } from "../src/sandbox/index.js";
import { resolveAccount } from "../src/worldcat/accounts.js";
import { createWorldCatClient } from "../src/worldcat/client.js";
import { worldcatServices } from "../src/worldcat/script-services.js";

interface Row {
  readonly run: string;
  readonly items: number;
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly failed: number;
  readonly failedBy429: number;
  readonly sent429?: number;
  readonly target: string;
}

async function withSandbox<T>(
  sandboxOptions: SandboxOptions,
  account: Record<string, unknown>,
  body: (ctx: {
    run(items: number, concurrency: number): Promise<{ seconds: number; summary: Summary }>;
    sequential(items: number): Promise<number>;
    /** 429 answers the sandbox sent so far. */
    rateLimited(): number;
  }) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox({ seed: 1_000_000, rngSeed: 3, ...sandboxOptions });
  const dir = await mkdtemp(join(tmpdir(), "nightshift-bench-batch-"));
  const a = sandbox.accounts[0];
  const env = { BENCH_SECRET: a.secret };
  const base = await loadConfig({ dataDir: join(dir, "data"), env: {} });
  const accountConfig = {
    key: a.key,
    secret: "env:BENCH_SECRET",
    registryId: a.registryId,
    symbol: a.symbol,
    sandboxUrl: sandbox.url,
    ...account,
  };
  const config = { ...base, accounts: { sandbox: accountConfig } };
  const services = worldcatServices(config, env);
  const engine = await openEngine({ config, services });
  const dispatcher = engine.createDispatcher({ concurrency: 1 });
  await dispatcher.start();
  let offset = 0;
  try {
    return await body({
      async run(items, concurrency) {
        const numbers = Array.from({ length: items }, (_, i) => 100_000_001 + offset + i);
        offset += items;
        const input = join(dir, `n-${offset}.txt`);
        await writeFile(input, `${numbers.join("\n")}\n`);
        const script = engine.scripts.require("worldcat-holdings");
        const argv = ["-a", "set", "-i", "n.txt", "-c", String(concurrency)];
        const started = performance.now();
        const p = await engine.service.createProcess({
          script: script.name,
          parameters: parseArgv(script, argv),
          startedBy: { source: "cli" },
          uploads: [{ name: "n.txt", path: input }],
        });
        for (;;) {
          const now = await engine.service.getProcess(p.id);
          if (now && ["COMPLETED", "FAILED", "CANCELLED"].includes(now.status)) {
            return { seconds: (performance.now() - started) / 1000, summary: now.result as Summary };
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      rateLimited: () => sandbox.state.counters.rateLimited,
      async sequential(items) {
        const wc = createWorldCatClient(await resolveAccount(config.accounts, "sandbox", env));
        await wc.token();
        const started = performance.now();
        for (let i = 0; i < items; i++) await wc.holdings.set(100_000_001 + offset + i);
        offset += items;
        wc.close();
        return items / ((performance.now() - started) / 1000);
      },
    });
  } finally {
    await dispatcher.stop(1000);
    await services.close();
    await engine.close();
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Summary {
  readonly total: number;
  readonly itemsPerSecond: number;
  readonly byOutcome: Record<string, number>;
  readonly byCode: Record<string, number>;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const items = Number(process.argv[2] ?? 10_000);
  const rateItems = Number(process.argv[3] ?? 1_200);
  const seqItems = Number(process.argv[4] ?? 200);
  const rows: Row[] = [];
  let sent429 = 0;
  const row = (
    run: string,
    n: number,
    seconds: number,
    s: Summary | undefined,
    rate: number,
    target: string,
  ) =>
    rows.push({
      run,
      items: n,
      seconds: round(seconds),
      itemsPerSecond: round(rate),
      failed: (s?.byOutcome.failed ?? 0) + (s?.byOutcome.unknown ?? 0),
      failedBy429: s?.byCode["HTTP 429"] ?? 0,
      target,
    });

  await withSandbox({ latencyMs: 100 }, { concurrency: 8 }, async (b) => {
    const seq = await b.sequential(seqItems);
    row("latency 100 ms, sequential client", seqItems, seqItems / seq, undefined, seq, "-");
    const { seconds, summary } = await b.run(items, 8);
    row(
      "latency 100 ms, batch concurrency 8",
      summary.total,
      seconds,
      summary,
      summary.itemsPerSecond,
      ">= 72",
    );
  });
  await withSandbox({ rateLimit: 20 }, { concurrency: 8, rateLimit: "20/s" }, async (b) => {
    const seq = await b.sequential(Math.min(seqItems, 400));
    row(
      "rate limit 20/s, sequential client",
      Math.min(seqItems, 400),
      Math.min(seqItems, 400) / seq,
      undefined,
      seq,
      "-",
    );
    const before = b.rateLimited();
    const { seconds, summary } = await b.run(rateItems, 8);
    sent429 = b.rateLimited() - before;
    row(
      "rate limit 20/s, batch concurrency 8",
      summary.total,
      seconds,
      summary,
      summary.itemsPerSecond,
      ">= 19, 0 failed by 429",
    );
  });
  process.stdout.write(`rate limit 20/s: the sandbox answered 429 ${sent429} time(s) during the batch\n`);

  process.stdout.write(
    "run                                      items  seconds  items/s  failed  429-failed  target\n",
  );
  for (const r of rows) {
    process.stdout.write(
      `${r.run.padEnd(40)} ${String(r.items).padStart(6)} ${String(r.seconds).padStart(8)} ${String(r.itemsPerSecond).padStart(8)} ${String(r.failed).padStart(7)} ${String(r.failedBy429).padStart(11)}  ${r.target}\n`,
    );
  }
  const ratio = rows[1] && rows[0] ? round(rows[1].itemsPerSecond / rows[0].itemsPerSecond) : 0;
  process.stdout.write(`batch / sequential at 100 ms latency: ${ratio}x\n`);
  process.stdout.write(`${JSON.stringify({ bench: "batch", rows, ratio })}\n`);
}

await main();

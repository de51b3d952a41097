/**
 * Sandbox throughput on loopback, no latency injected: many concurrent keep-alive fetches for a few
 * seconds per endpoint. Run: `npx tsx bench/sandbox.ts [seconds] [concurrency]`. Prints a table and JSON.
 */
import { startSandbox } from "../src/sandbox/index.js";

interface Row {
  endpoint: string;
  requests: number;
  seconds: number;
  perSecond: number;
  errors: number;
}

async function run(
  name: string,
  seconds: number,
  concurrency: number,
  call: (i: number) => Promise<Response>,
): Promise<Row> {
  const end = performance.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; performance.now() < end; i += concurrency) {
        const res = await call(i);
        await res.arrayBuffer();
        if (!res.ok) errors++;
        requests++;
      }
    }),
  );
  const took = (performance.now() - start) / 1000;
  return {
    endpoint: name,
    requests,
    seconds: Number(took.toFixed(2)),
    perSecond: Math.round(requests / took),
    errors,
  };
}

async function main() {
  const seconds = Number(process.argv[2] ?? 3);
  const concurrency = Number(process.argv[3] ?? 64);
  const sandbox = await startSandbox({ seed: 1_000_000, rngSeed: 1 });
  const a = sandbox.accounts[0];
  const tokenRes = await fetch(
    `${sandbox.url}/token?grant_type=client_credentials&scope=WorldCatMetadataAPI`,
    {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${a.key}:${a.secret}`).toString("base64")}` },
    },
  );
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${access_token}` };
  const rows = [
    await run("GET manage/bibs/{ocn} (MARCXML)", seconds, concurrency, (i) =>
      fetch(`${sandbox.url}/worldcat/manage/bibs/${100_000_001 + (i % 999_999)}`, { headers }),
    ),
    await run("GET holdings/current", seconds, concurrency, (i) =>
      fetch(
        `${sandbox.url}/worldcat/manage/institution/holdings/current?oclcNumbers=${100_000_001 + (i % 999_999)}`,
        { headers },
      ),
    ),
    await run("POST holdings/{ocn}/set", seconds, concurrency, (i) =>
      fetch(`${sandbox.url}/worldcat/manage/institution/holdings/${100_000_001 + (i % 999_999)}/set`, {
        method: "POST",
        headers,
      }),
    ),
  ];
  await sandbox.close();
  console.log("| endpoint | requests | seconds | req/s | errors |\n|---|---|---|---|---|");
  for (const r of rows)
    console.log(`| ${r.endpoint} | ${r.requests} | ${r.seconds} | ${r.perSecond} | ${r.errors} |`);
  console.log(JSON.stringify({ bench: "sandbox", concurrency, rows }));
}

await main();

/**
 * Idle log streams: 200 SSE followers (`GET /api/system/processes/{id}/output`, text/event-stream) of a running
 * process that writes nothing, and the server's CPU while they wait (the server in a child process, SQLite).
 * Side by side: the streams polling every 100 ms (how they worked before: `ssePollMs: 100`) and woken by
 * events with the 2 s fallback poll (the default now). Run: `npx tsx bench/sse-idle.ts [streams=200] [seconds=10]`.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { startServer } from "../src/server/start.js";

const idle = defineScript({
  name: "idle",
  description: "logs one line, then waits for its abort",
  parameters: [],
  async run(ctx) {
    ctx.log.info("idle from now on");
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
  },
});

/** Child mode: serve with `ssePollMs` (or the default), one idle process running; print {url, token, id}. */
async function serve(dataDir: string, pollMs: number | undefined): Promise<void> {
  const config = { ...(await loadConfig({ dataDir, env: {} })), port: 0 };
  const engine = await openEngine({ config, scripts: createRegistry([idle]) });
  const users = createUserDirectory(engine.store);
  await users.add({ name: "bench", role: "admin" });
  const token = await users.issueToken("bench");
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const p = await engine.service.createProcess({
    script: "idle",
    parameters: parseArgv(idle, []),
    startedBy: { source: "cli" },
  });
  const server = await startServer(engine, {
    port: 0,
    host: "127.0.0.1",
    bootstrapAdmin: false,
    ...(pollMs === undefined ? {} : { ssePollMs: pollMs }),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, token, id: p.id })}\n`);
  createInterface({ input: process.stdin }).on("line", () => {
    process.stdout.write(`${JSON.stringify(process.cpuUsage())}\n`);
  });
  process.on("SIGTERM", () => process.exit(0));
}

async function measure(label: string, pollMs: number | undefined, streams: number, seconds: number) {
  const dataDir = await mkdtemp(join(tmpdir(), "nightshift-bench-sse-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", import.meta.filename, "serve", dataDir, String(pollMs ?? "")],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value as string);
  const { url, token, id } = (await next()) as { url: string; token: string; id: number };
  const cpu = async () => {
    child.stdin.write("\n");
    const c = (await next()) as { user: number; system: number };
    return (c.user + c.system) / 1000;
  };
  const controller = new AbortController();
  let firstLines = 0;
  const clients = Array.from({ length: streams }, async () => {
    const res = await fetch(`${url}/api/system/processes/${id}/output`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: controller.signal,
    });
    let seen = false;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!seen && Buffer.from(chunk).toString().includes("idle from now on")) {
          seen = true;
          firstLines++;
        }
      }
    } catch {
      // aborted at the end
    }
  });
  while (firstLines < streams) await new Promise((r) => setTimeout(r, 50));
  const before = await cpu();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpuMs = (await cpu()) - before;
  const wall = performance.now() - started;
  controller.abort();
  await Promise.allSettled(clients);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await rm(dataDir, { recursive: true, force: true });
  return { label, streams, seconds: wall / 1000, serverCpuMs: cpuMs, coreShare: cpuMs / wall };
}

if (process.argv[2] === "serve") {
  await serve(process.argv[3], process.argv[4] ? Number(process.argv[4]) : undefined);
} else {
  const streams = Number(process.argv[2] ?? 200);
  const seconds = Number(process.argv[3] ?? 10);
  const results = [
    // The server's own idle work (dispatcher polls, heartbeats), the same in both.
    await measure("no stream (the server alone)", undefined, 0, seconds),
    await measure("poll every 100 ms (before)", 100, streams, seconds),
    await measure("woken by events, 2 s fallback (now)", undefined, streams, seconds),
  ];
  process.stdout.write(`${streams} idle SSE log streams, server CPU over ${seconds} s\n`);
  process.stdout.write("how streams wait                          CPU ms   share of a core\n");
  for (const r of results)
    process.stdout.write(
      `${r.label.padEnd(40)} ${r.serverCpuMs.toFixed(0).padStart(7)}   ${(r.coreShare * 100).toFixed(1).padStart(6)} %\n`,
    );
  process.stdout.write(`${JSON.stringify({ bench: "sse-idle", results })}\n`);
}

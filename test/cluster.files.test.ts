/**
 * Files and logs across machines (`fileStore: postgres`, the default on PostgreSQL): two `serve` processes
 * (API only) and a `worker`, each with its own empty data directory, on one embedded PostgreSQL. A process
 * started through server A runs on the worker; its log is followed live through server B (lines arrive while
 * it runs) and its report downloaded through server B, byte for byte.
 */
import { createHash } from "node:crypto";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { type ClusterNode, startCluster } from "./fixtures/cluster/cluster.js";
import { reportBytes } from "./fixtures/cluster/file-scripts.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const SCRIPTS = [
  join(import.meta.dirname, "fixtures", "cluster", "scripts.ts"),
  join(import.meta.dirname, "fixtures", "cluster", "file-scripts.ts"),
];

interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Reads a Server-Sent Events stream as it comes; `events` grows until the stream ends. */
function follow(node: ClusterNode, token: string, path: string) {
  const events: SseEvent[] = [];
  const done = (async () => {
    const res = await fetch(`${node.url}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split("\n")
            .filter((l) => l.startsWith(`${name}:`))
            .map((l) => l.slice(name.length + 1).replace(/^ /, ""))
            .join("\n");
        if (field("event")) events.push({ event: field("event"), data: field("data") });
      }
    }
  })();
  return { events, done };
}

it("a process started through server A runs on a worker; server B follows its log live and serves its report byte for byte", async () => {
  const cluster = await startCluster({
    databaseUrl: await pg.server.database(),
    config: { scriptModules: SCRIPTS },
  });
  pg.cleanups.push(cluster.close);
  // API only: every process runs on the worker.
  const a = await cluster.startServer({ args: ["--concurrency", "0"] });
  const b = await cluster.startServer({ args: ["--concurrency", "0"] });
  const worker = await cluster.startWorker();
  const go = await tempDir();
  pg.cleanups.push(go.cleanup);
  const goFile = join(go.dir, "go");

  const id = await cluster.createProcess(a, "report-when-told", {
    "--go": goFile,
    "--lines": "5",
    "--kb": "3000", // three 1 MB chunks and some
  });
  const stream = follow(b, cluster.token, `/api/system/processes/${id}/output`);
  await cluster.until("the first line through server B", async () =>
    stream.events.some((e) => e.event === "log" && e.data.endsWith("INFO waiting for the go-file")),
  );
  const running = await cluster.row(id);
  expect(running?.status).toBe("RUNNING");
  expect(running?.worker_id).toBe(worker.workerId);

  await writeFile(goFile, "");
  await stream.done;
  const lines = stream.events.filter((e) => e.event === "log").map((e) => e.data);
  expect(lines.filter((l) => / INFO line \d$/.test(l)).map((l) => l.slice(-6))).toEqual(
    [1, 2, 3, 4, 5].map((n) => `line ${n}`),
  );
  expect(stream.events.at(-1)).toEqual({
    event: "end",
    data: JSON.stringify({ processId: id, processStatus: "COMPLETED" }),
  });
  // The whole log as server A reads it is what server B streamed.
  const text = await fetch(`${a.url}/api/system/processes/${id}/output`, {
    headers: { authorization: `Bearer ${cluster.token}`, accept: "text/plain" },
  });
  expect(await text.text()).toBe(`${lines.join("\n")}\n`);

  const expected = reportBytes(3000);
  const listed = await cluster.api<{ _embedded: { bitstreams: Record<string, unknown>[] } }>(
    b,
    "GET",
    `/api/system/processes/${id}/files/report`,
  );
  expect(listed.status).toBe(200);
  const [report] = listed.body._embedded.bitstreams as {
    id: number;
    sizeBytes: number;
    checkSum: { value: string };
  }[];
  expect({ size: report.sizeBytes, sha256: report.checkSum.value }).toEqual({
    size: expected.length,
    sha256: sha(expected),
  });
  const res = await fetch(`${b.url}/api/system/processes/${id}/files/report/${report.id}/content`, {
    headers: { authorization: `Bearer ${cluster.token}` },
  });
  expect(res.status).toBe(200);
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.length).toBe(expected.length);
  expect(body.equals(expected)).toBe(true);

  // No node kept the files: neither server wrote any, and the worker dropped its working copy.
  for (const node of [a, b, worker])
    expect(await readdir(join(node.dataDir, "processes")).catch(() => [])).toEqual([]);
}, 240_000);

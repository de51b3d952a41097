/**
 * repository-to-worldcat with `fileStore: postgres`: a resumed run needs nothing of the interrupted run's node
 * but the database. Its staged harvest and its report are kept with its checkpoints; here the node's working
 * copy of the interrupted process is removed before the resume (as on another machine), which reads both from
 * PostgreSQL and goes on without creating anything twice.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { usePostgres } from "./fixtures/postgres/server.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

const pg = usePostgres();
let h: Harness | undefined;
afterEach(() => h?.close());

it("an interrupted run resumes from its harvest and report in PostgreSQL, its local files gone", async () => {
  h = await startHarness({
    sandbox: { corpus: false, latencyMs: 20 },
    account: { concurrency: 2 },
    config: { databaseUrl: await pg.server.database(), fileStore: "postgres" },
  });
  expect(h.engine.files.kind).toBe("postgres");
  const endpoint = `${h.sandbox.url}/oai/request`;
  const creates = () => h?.sandbox.state.creations.length ?? 0;
  const args = ["--endpoint", endpoint, "--from", "2026-01-01", "--concurrency", "2"];
  const p = await h.start("repository-to-worldcat", args);
  await waitFor("10 creates", async () => (creates() >= 10 ? true : undefined), 30_000);
  await h.engine.service.cancelProcess(p.id);
  const stopped = await h.wait(p.id, "CANCELLED", "COMPLETED");
  expect(stopped.process.status).toBe("CANCELLED");
  const before = creates();
  expect(before).toBeLessThan(63);
  // The interrupted run's harvest and report, listed (stored with its checkpoints).
  const listed = (await h.engine.service.listFiles(p.id)).map((f) => f.type);
  expect(listed).toEqual(expect.arrayContaining(["harvest", "report"]));
  await rm(join(h.config.dataDir, "processes", String(p.id)), { recursive: true, force: true });

  const resumed = await h.run("repository-to-worldcat", [...args, "--resume", String(p.id)]);
  expect(resumed.process.status, resumed.log).toBe("COMPLETED");
  expect(resumed.log).toContain(`resuming process ${p.id}: its harvest of 64 record(s)`);
  // Read from the store: a COMPLETED process's working copy is dropped.
  const [report] = await h.engine.service.listFiles(resumed.process.id, "report");
  const bytes: Buffer[] = [];
  for await (const c of (await h.engine.service.openFile(resumed.process.id, report.id)).stream())
    bytes.push(c as Buffer);
  const rows = reportRows(Buffer.concat(bytes).toString("utf8"));
  expect(rows.map((r) => r.position)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
  expect(rows.filter((r) => r.outcome === "ok")).toHaveLength(63);
  expect(creates()).toBe(63);
  expect(new Set(rows.filter((r) => r.current).map((r) => r.current)).size).toBe(63);
}, 120_000);

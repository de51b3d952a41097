/**
 * `nightshift run --resume` right after a kill -9 of the run it resumes, on the same machine: the dead run's
 * worker row says this host and a pid that is gone, so its process is ended as lost at once instead of after
 * its lease (60 s here, the default heartbeat), and the resume goes on from the checkpoint.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startCluster } from "./fixtures/cluster/cluster.js";
import { usePostgres } from "./fixtures/postgres/server.js";

const pg = usePostgres();
const NUMBERS = Array.from({ length: 40 }, (_, i) => 100000001 + 2 * i);

it("run --resume right after kill -9 of the run on this host does not wait for the lease; exact final state", async () => {
  const c = await startCluster({
    databaseUrl: await pg.server.database(),
    heartbeat: "30s",
    lease: "60s",
    sandbox: { seed: 1000, latencyMs: 50 },
  });
  pg.cleanups.push(c.close);
  const dir = await mkdtemp(join(tmpdir(), "nightshift-input-"));
  pg.cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const input = join(dir, "numbers.txt");
  await writeFile(input, `${NUMBERS.join("\n")}\n`);
  const args = ["worldcat-holdings", "-a", "set", "-i", input, "-c", "1"];

  const first = await c.command(["run", ...args]);
  const id = Number((await first.waitForOutput(/^process (\d+)$/m, 60_000))[1]);
  const held = () => c.sandbox.state.holdings.get(c.symbol)?.size ?? 0;
  await c.until("8 holdings set", async () => held() >= 8, 60_000);
  first.child.kill("SIGKILL");
  expect((await first.exited).signal).toBe("SIGKILL");
  const dead = await c.row(id);
  expect(dead?.status).toBe("RUNNING");
  const leaseEnd = Date.parse(dead?.lease_expires_at ?? "");

  const again = await c.command(["run", ...args, "--resume", String(id)]);
  const end = await again.exited;
  expect(end.code, `${end.stdout}\n${end.stderr}`).toBe(0);
  expect(end.stdout).not.toMatch("waiting until its lease expires");
  expect(end.stdout).toMatch(`resuming process ${id}:`);
  const lost = await c.row(id);
  expect(lost?.status).toBe("FAILED");
  expect(lost?.exit_message).toMatch(
    new RegExp(`^worker ${dead?.worker_id} lost; last heartbeat \\S+; marked FAILED at \\S+$`),
  );
  // Ended before its lease ran out: nobody waited for it.
  expect(Date.parse(lost?.finished_at ?? "")).toBeLessThan(leaseEnd);
  const state = c.sandbox.state.snapshot() as {
    holdings: Record<string, { set: number[]; unset: number[] }>;
  };
  expect([...state.holdings[c.symbol].set].sort((x, y) => x - y)).toEqual(NUMBERS);
  expect(state.holdings[c.symbol].unset).toEqual([]);
}, 240_000);

import { afterEach, expect, it } from "vitest";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";

let h: Harness;
afterEach(() => h?.close());

it("--resume of a process that is still queued is refused, and the queued one is left untouched", async () => {
  // No dispatcher of the harness: the first process stays SCHEDULED.
  h = await startHarness({ dispatch: false, sandbox: { seed: 100 } });
  const input = h.file("n.txt", "100000001\n100000003\n");
  const first = await h.start("worldcat-holdings", ["-a", "set", "-i", "n.txt"], { "n.txt": input });
  const second = await h.start(
    "worldcat-holdings",
    ["-a", "set", "-i", "n.txt", "--resume", String(first.id)],
    {
      "n.txt": input,
    },
  );
  const dispatcher = h.engine.createDispatcher({ concurrency: 1, onlyIds: [second.id] });
  await dispatcher.start();
  const done = await h.wait(second.id, "COMPLETED", "FAILED", "CANCELLED");
  await dispatcher.stop();
  expect(done.process.status).toBe("FAILED");
  expect(done.process.exitMessage).toBe(
    `cannot resume process ${first.id}: it is SCHEDULED; cancel it (nightshift cancel ${first.id}) and resume it when it has stopped`,
  );
  expect((await h.engine.service.getProcess(first.id))?.status).toBe("SCHEDULED");
  // refused before anything was sent to WorldCat
  expect(Object.keys(h.sandbox.state.counters.byRoute).filter((r) => r.includes("holdings"))).toEqual([]);
});

it("--resume of a process whose worker is alive (its lease is renewed) is refused after one lease", async () => {
  h = await startHarness({ sandbox: { seed: 100, latencyMs: 1500 } });
  const input = h.file("n.txt", "100000001\n100000003\n100000005\n");
  const first = await h.start("worldcat-holdings", ["-a", "set", "-i", "n.txt", "-c", "1"], {
    "n.txt": input,
  });
  await h.wait(first.id, "RUNNING");
  const second = await h.start(
    "worldcat-holdings",
    ["-a", "set", "-i", "n.txt", "--resume", String(first.id)],
    {
      "n.txt": input,
    },
  );
  const done = await h.wait(second.id, "FAILED", "COMPLETED");
  expect(done.process.exitMessage).toMatch(`cannot resume process ${first.id}: it is RUNNING`);
  expect(done.log).toMatch(`process ${first.id} is still RUNNING; waiting until its lease expires`);
  await h.engine.service.cancelProcess(first.id);
  await h.wait(first.id, "CANCELLED", "COMPLETED");
});

/**
 * Issue 17 item 3 and issue 15 security item 1: `--resume` is checked before a process exists: the same
 * script, the same parameters (but --resume/--concurrency), the same input, never a COMPLETED process; over
 * REST, another user's process is 403 and nothing is created.
 */
import { afterEach, expect, it } from "vitest";
import { ParameterError } from "../src/engine/parameters.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { startRest } from "./fixtures/worldcat-scripts/rest.js";

let h: Harness;
afterEach(() => h?.close());

const count = async () => (await h.engine.service.listProcesses({ size: 1 })).total;

it("a resume with another action, another file, another script or of a COMPLETED process is refused", async () => {
  h = await startHarness({ sandbox: { seed: 1000 }, dispatch: false });
  const input = h.file("n.txt", "100000002\n100000003\n");
  const first = await h.start("worldcat-holdings", ["-a", "set", "-i", "n.txt"], { "n.txt": input });
  await h.engine.service.cancelProcess(first.id);
  const resume = (argv: string[], file = input) =>
    h.start("worldcat-holdings", [...argv, "-i", "n.txt", "--resume", String(first.id)], { "n.txt": file });
  await expect(resume(["-a", "unset"])).rejects.toThrow(ParameterError);
  await expect(resume(["-a", "unset"])).rejects.toThrow(
    `--resume ${first.id}: process ${first.id} was given other parameters (--action)`,
  );
  await expect(
    resume(["-a", "set"], h.file("longer.txt", "100000002\n100000003\n100000004\n")),
  ).rejects.toThrow(`the input file differs from process ${first.id}'s`);
  await expect(
    h.start("worldcat-fetch", ["-i", "n.txt", "--resume", String(first.id)], { "n.txt": input }),
  ).rejects.toThrow(`process ${first.id} is a run of worldcat-holdings, not of worldcat-fetch`);
  expect(await count()).toBe(1);
  // the same parameters (and another --concurrency) are accepted
  const ok = await resume(["-a", "set", "-c", "2"]);
  expect(ok.status).toBe("SCHEDULED");

  await h.startDispatcher();
  await h.wait(ok.id, "COMPLETED");
  await expect(
    h.start("worldcat-holdings", ["-a", "set", "-i", "n.txt", "--resume", String(ok.id)], { "n.txt": input }),
  ).rejects.toThrow(`process ${ok.id} is COMPLETED`);
});

it("REST: resuming another user's process is 403 and creates nothing", async () => {
  h = await startHarness({
    sandbox: { seed: 1000 },
    dispatch: false,
    config: { scripts: { "worldcat-holdings": { roles: ["operator"] } } },
  });
  const rest = await startRest(h);
  h.defer(() => rest.close());
  const props = [
    { name: "--action", value: "set" },
    { name: "--input", value: "n.txt" },
  ];
  const files = { "n.txt": "100000002\n" };
  const mine = await rest.start(rest.users.op, "worldcat-holdings", props, files);
  expect(mine.status).toBe(202);
  const id = Number(mine.body.processId);
  await h.engine.service.cancelProcess(id);
  const theirs = await rest.start(
    rest.users.op2,
    "worldcat-holdings",
    [...props, { name: "--resume", value: String(id) }],
    files,
  );
  expect(theirs.status).toBe(403);
  expect(await count()).toBe(1);
});

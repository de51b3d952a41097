import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Dispatcher } from "../src/engine/dispatcher.js";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

let dir: { dir: string; cleanup(): Promise<void> };
let engine: Engine;
let dispatcher: Dispatcher;

beforeEach(async () => {
  dir = await tempDir();
  engine = await testEngine(dir.dir);
  dispatcher = engine.createDispatcher();
  await dispatcher.start();
});
afterEach(async () => {
  await dispatcher.stop(100);
  await engine.close();
  await dir.cleanup();
});

const create = (script: string, argv: string[] = [], extra = {}) =>
  engine.service.createProcess({
    script,
    parameters: parseArgv(engine.scripts.require(script), argv),
    startedBy: { source: "cli" },
    ...extra,
  });

describe("process lifecycle", () => {
  it("SCHEDULED -> RUNNING -> COMPLETED, with result, progress, times and the log file", async () => {
    const seen: string[] = [];
    engine.events.on("process:started", ({ process }) => void seen.push(`started ${process.id}`));
    engine.events.on("process:finished", ({ process }) => void seen.push(`${process.status} ${process.id}`));
    const created = await create("echo", ["-m", "hi"]);
    expect(created.status).toBe("SCHEDULED");
    expect(created.parameters).toEqual([{ name: "--message", value: "hi" }]);
    const done = await waitForStatus(engine, created.id, "COMPLETED");
    expect(seen).toEqual([`started ${created.id}`, `COMPLETED ${created.id}`]);
    expect(done.result).toEqual({ message: "hi", passwordLength: 0 });
    expect(done.progress).toEqual({ done: 1, total: 1 });
    expect(done.exitMessage).toBeNull();
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
    expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    const [log] = await engine.service.listFiles(created.id, "log");
    expect(log.name).toBe(`echo-${created.id}.log`);
    const text = await readFile(join(dir.dir, log.path), "utf8");
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO process \d+ \(echo\) started by cli/m);
    expect(text).toContain("INFO message: hi\n");
    expect(text).toMatch(/INFO COMPLETED \(after [\d.]+ s\)\n$/);
    expect(log.size).toBe(Buffer.byteLength(text));
    expect(log.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("FAILED when run() throws, with the message as exit message and the stack in the log", async () => {
    const { id } = await create("fail");
    const done = await waitForStatus(engine, id, "FAILED");
    expect(done.exitMessage).toBe("boom");
    expect((await engine.service.readLog(id)).text).toContain("ERROR Error: boom");
  });

  it("FAILED by one of our own errors: the message, which says where, without a stack trace", async () => {
    const { id } = await create("fail-clearly");
    const done = await waitForStatus(engine, id, "FAILED");
    expect(done.exitMessage).toBe("in.txt line 3: not an OCLC number");
    const log = (await engine.service.readLog(id)).text;
    expect(log).toMatch(/ERROR FAILED: in\.txt line 3: not an OCLC number \(after [\d.]+ s\)\n$/);
    expect(log).not.toMatch(/^\s+at /m);
  });

  it("FAILED when run() returns { failed }, keeping the summary", async () => {
    const { id } = await create("soft-fail");
    const done = await waitForStatus(engine, id, "FAILED");
    expect(done.exitMessage).toBe("2 of 5 records failed");
    expect(done.result).toEqual({ failed: 2, total: 5 });
  });

  it("CANCELLED: a SCHEDULED one at once, a RUNNING one through its signal", async () => {
    const later = await create("echo", ["-m", "later"], { runAt: new Date(Date.now() + 3_600_000) });
    const cancelled = await engine.service.cancelProcess(later.id);
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.exitMessage).toBe("cancelled before it started");
    const { id } = await create("block");
    await waitForStatus(engine, id, "RUNNING");
    const requested = await engine.service.cancelProcess(id);
    expect(requested.status).toBe("RUNNING");
    expect(requested.cancelRequested).toBe(true);
    const done = await waitForStatus(engine, id, "CANCELLED");
    expect(done.exitMessage).toBe("cancelled while running");
    expect((await engine.service.readLog(id)).text).toMatch(/ERROR CANCELLED: cancelled while running/);
  });

  it("a process with a future run_at stays SCHEDULED until then", async () => {
    const { id } = await create("echo", ["-m", "soon"], { runAt: new Date(Date.now() + 300) });
    const other = await create("echo", ["-m", "now"]);
    await waitForStatus(engine, other.id, "COMPLETED");
    expect((await engine.service.getProcess(id))?.status).toBe("SCHEDULED");
    await waitForStatus(engine, id, "COMPLETED");
  });

  it("runs in priority order, FIFO within a priority", async () => {
    await dispatcher.stop(100);
    const order: number[] = [];
    engine.events.on("process:started", ({ process }) => void order.push(process.id));
    const a = await create("trivial", [], { priority: 5 });
    const b = await create("trivial", [], { priority: 0 });
    const c = await create("trivial", [], { priority: 5 });
    const d = await create("trivial", [], { priority: 0 });
    dispatcher = engine.createDispatcher({ concurrency: 1 });
    await dispatcher.start();
    await waitForStatus(engine, c.id, "COMPLETED");
    expect(order).toEqual([b.id, d.id, a.id, c.id]);
  });

  it("refuses to delete a RUNNING process; deletes a finished one with its files", async () => {
    const { id } = await create("block");
    await waitForStatus(engine, id, "RUNNING");
    await expect(engine.service.deleteProcess(id)).rejects.toThrow(/RUNNING: cannot delete/);
    await engine.service.cancelProcess(id);
    await waitForStatus(engine, id, "CANCELLED");
    await engine.service.deleteProcess(id);
    expect(await engine.service.getProcess(id)).toBeUndefined();
    await expect(readFile(join(dir.dir, "processes", String(id), "process.log"))).rejects.toThrow(/ENOENT/);
  });

  it("lists with combined filters and paging", async () => {
    const a = await create("echo", ["-m", "1"]);
    const b = await create("fail");
    await waitForStatus(engine, a.id, "COMPLETED");
    await waitForStatus(engine, b.id, "FAILED");
    const failed = await engine.service.listProcesses({ status: ["FAILED"], script: "fail" });
    expect(failed.items.map((p) => p.id)).toEqual([b.id]);
    expect(failed.total).toBe(1);
    const page = await engine.service.listProcesses({ size: 1, page: 1 });
    expect(page.items.map((p) => p.id)).toEqual([a.id]);
    expect(page.total).toBe(2);
  });
});

/** The log streamed live as Server-Sent Events while the process runs. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./fixtures/server/harness.js";
import { gates } from "./fixtures/server/scripts.js";
import { sseEvents } from "./fixtures/server/sse-reader.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

async function startGated(gate: string): Promise<number> {
  const r = await t.json<{ processId: number }>(t.users.op, "POST", "/api/system/scripts/gated/processes", {
    properties: [{ name: "--gate", value: gate }],
  });
  expect(r.status).toBe(202);
  return r.body.processId;
}

describe("GET /api/system/processes/{id}/output as Server-Sent Events", () => {
  it("delivers lines while the process runs, then an end event", async () => {
    const id = await startGated("sse-1");
    const res = await t.call(t.users.op, "GET", `/api/system/processes/${id}/output`, {
      headers: { accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseEvents(res);
    const seen: string[] = [];
    for (;;) {
      const e = await events.next();
      expect(e?.event).toBe("log");
      seen.push(e!.data);
      if (e!.data.endsWith("before the gate")) break;
    }
    // The process is still waiting at its gate: the line arrived live, not after the end.
    expect((await t.engine.service.getProcess(id))?.status).toBe("RUNNING");
    expect(seen.join("\n")).not.toContain("after the gate");
    gates.open("sse-1");
    const rest: { event: string; data: string }[] = [];
    for (let e = await events.next(); e; e = await events.next()) rest.push(e);
    expect(rest.some((e) => e.event === "log" && e.data.endsWith("after the gate"))).toBe(true);
    expect(rest.at(-1)).toEqual({
      event: "end",
      data: JSON.stringify({ processId: id, processStatus: "COMPLETED" }),
      id: undefined,
    });
  });

  it("?follow=true streams too, and Last-Event-ID resumes after the last line seen", async () => {
    const id = await startGated("sse-2");
    const first = await t.call(t.users.op, "GET", `/api/system/processes/${id}/output?follow=true`);
    const events = sseEvents(first);
    const e1 = await events.next();
    expect(e1?.event).toBe("log");
    expect(Number(e1?.id)).toBeGreaterThan(0);
    await events.cancel();
    gates.open("sse-2");
    await t.waitForStatus(id, "COMPLETED");
    const again = await t.call(t.users.op, "GET", `/api/system/processes/${id}/output?follow=true`, {
      headers: { "last-event-id": e1!.id! },
    });
    const lines: string[] = [];
    const rest = sseEvents(again);
    for (let e = await rest.next(); e; e = await rest.next()) if (e.event === "log") lines.push(e.data);
    expect(lines).not.toContain(e1!.data);
    expect(lines.join("\n")).toContain("after the gate");
  });

  it("is refused for another user's process like any read (403)", async () => {
    const id = await startGated("sse-3");
    const res = await t.call(t.users.op2, "GET", `/api/system/processes/${id}/output?follow=true`);
    expect(res.status).toBe(403);
    gates.open("sse-3");
  });
});

describe("errors while streaming the log", () => {
  it("say what happened for our own errors, and name no server path otherwise", async () => {
    const runAt = new Date(Date.now() + 3600_000).toISOString();
    const queued = await t.json<{ processId: number }>(
      t.users.op,
      "POST",
      "/api/system/scripts/gated/processes",
      {
        properties: [{ name: "--gate", value: "never" }],
        runAt,
      },
    );
    const id = queued.body.processId;
    // The log's place is taken by a directory: reading it fails with a file-system error.
    const { mkdir, rm } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { logPathRel } = await import("../src/engine/paths.js");
    await mkdir(join(t.dataDir, logPathRel(id)), { recursive: true });
    const res = await t.call(t.users.op, "GET", `/api/system/processes/${id}/output?follow=true`);
    const events = sseEvents(res);
    const e = await events.next();
    expect(e?.event).toBe("error");
    expect(JSON.parse(e!.data)).toEqual({ detail: "the log could not be read" });
    expect(e!.data).not.toContain(t.dataDir);
    await rm(join(t.dataDir, logPathRel(id)), { recursive: true });
    await t.engine.service.cancelProcess(id);
  });
});

/** Review: an open SSE stream does not hold `server.close()` (SIGTERM of `nightshift serve`) forever. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./fixtures/server/harness.js";
import { sseEvents } from "./fixtures/server/sse-reader.js";

let t: TestServer;
beforeAll(async () => {
  // No dispatcher: the process stays SCHEDULED, so its log stream has no natural end.
  t = await startTestServer({}, { dispatcher: false });
});
afterAll(() => t.close());

it("closing the server ends a following SSE stream", async () => {
  const r = await t.json<{ processId: number }>(t.users.op, "POST", "/api/system/scripts/gated/processes", {
    properties: [{ name: "--gate", value: "never" }],
  });
  expect(r.status).toBe(202);
  const res = await t.call(t.users.op, "GET", `/api/system/processes/${r.body.processId}/output?follow=true`);
  expect(res.status).toBe(200);
  const events = sseEvents(res);
  const closed = t.server.close().then(() => "closed");
  const timeout = new Promise((resolve) => setTimeout(resolve, 3000, "still open"));
  expect(await Promise.race([closed, timeout])).toBe("closed");
  expect(await events.next().catch(() => undefined)).toBeUndefined();
});

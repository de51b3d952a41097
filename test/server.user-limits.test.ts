/**
 * Per-user limits (config `limits`, issue 15 item 5): queued processes, stored upload bytes and open log
 * streams. Reaching one answers 429 naming the limit, its configured value and the current value, and creates
 * nothing; freeing (a process deleted, a stream closed) lets the next request in. No dispatcher runs, so
 * processes stay SCHEDULED.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import {
  type Json,
  startTestServer,
  type TestServer,
  type TestUser,
  waitFor,
} from "./fixtures/server/harness.js";

const LIMITS = { queuedProcesses: 2, uploadBytes: 1000, logStreams: 2 };

describe("per-user limits over REST", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ limits: LIMITS }, { dispatcher: false });
  });
  afterAll(() => t.close());

  const startTyped = (user: TestUser) =>
    t.json<Json>(user, "POST", "/api/system/scripts/typed/processes", {
      properties: [{ name: "-n", value: "1" }],
    });

  const startUpload = (user: TestUser, bytes: number) => {
    const form = new FormData();
    form.append("properties", JSON.stringify([{ name: "-i", value: "in.txt" }]));
    form.append("file", new Blob(["x".repeat(bytes)]), "in.txt");
    return t.call(user, "POST", "/api/system/scripts/upload/processes", { body: form });
  };

  const remove = async (user: TestUser, id: number) =>
    expect((await t.call(user, "DELETE", `/api/system/processes/${id}`)).status).toBe(204);

  it("queuedProcesses: the third SCHEDULED process is refused with 429 and Retry-After; a deleted one frees a place", async () => {
    const user = t.users.op;
    const first = await startTyped(user);
    const second = await startTyped(user);
    expect([first.status, second.status]).toEqual([202, 202]);
    const before = await t.processCount();
    const refused = await startTyped(user);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.body.detail).toContain("limits.queuedProcesses");
    expect(refused.body.detail).toContain("you have 2 SCHEDULED, the limit is 2");
    expect(refused.body.errors[0].parameter).toBe("limits.queuedProcesses");
    expect(await t.processCount()).toBe(before);
    // Another user has a queue of their own.
    const other = await startTyped(t.users.admin);
    expect(other.status).toBe(202);
    await remove(user, first.body.processId);
    const again = await startTyped(user);
    expect(again.status).toBe(202);
    for (const p of [second, again]) await remove(user, p.body.processId);
    await remove(t.users.admin, other.body.processId);
  });

  it("uploadBytes: an upload passing the user's stored bytes is refused with 429 and nothing stored; a deleted process frees them", async () => {
    const user = t.users.op2;
    const first = await startUpload(user, 600);
    expect(first.status).toBe(202);
    const firstId = ((await first.json()) as Json).processId as number;
    const before = await t.processCount();
    const refused = await startUpload(user, 600);
    expect(refused.status).toBe(429);
    const problem = (await refused.json()) as Json;
    expect(problem.detail).toContain("limits.uploadBytes");
    expect(problem.detail).toContain("the limit is 1000 bytes");
    expect(problem.detail).toMatch(/at least (\d+) bytes/);
    expect(Number(/at least (\d+) bytes/.exec(problem.detail)?.[1])).toBeGreaterThan(1000);
    expect(problem.errors[0].parameter).toBe("limits.uploadBytes");
    expect(await t.processCount()).toBe(before);
    // Below the limit still fits.
    const small = await startUpload(user, 300);
    expect(small.status).toBe(202);
    const smallId = ((await small.json()) as Json).processId as number;
    await remove(user, firstId);
    const again = await startUpload(user, 600);
    expect(again.status).toBe(202);
    await remove(user, smallId);
    await remove(user, ((await again.json()) as Json).processId);
  });

  it("logStreams: a third follow stream is refused with 429; closing one lets the next in", async () => {
    const user = t.users.admin;
    const start = await startTyped(t.users.admin);
    expect(start.status).toBe(202);
    const id = start.body.processId as number;
    const aborts: AbortController[] = [];
    const follow = async () => {
      const abort = new AbortController();
      const res = await t.call(user, "GET", `/api/system/processes/${id}/output`, {
        headers: { accept: "text/event-stream" },
        signal: abort.signal,
      });
      if (res.status === 200) aborts.push(abort);
      return res;
    };
    try {
      expect((await follow()).status).toBe(200);
      expect((await follow()).status).toBe(200);
      const refused = await follow();
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("10");
      const problem = (await refused.json()) as Json;
      expect(problem.detail).toContain("limits.logStreams");
      expect(problem.detail).toContain("you have 2 open, the limit is 2");
      // The plain log (no follow) is not a stream and is not counted.
      const plain = await t.call(user, "GET", `/api/system/processes/${id}/output`, {
        headers: { accept: "text/plain" },
      });
      expect(plain.status).toBe(200);
      aborts.shift()?.abort();
      // The server sees the close asynchronously: ask until it has.
      await waitFor("a freed log stream", async () => {
        const res = await follow();
        if (res.status !== 200) await res.text();
        return res.status === 200;
      });
      expect((await follow()).status).toBe(429);
    } finally {
      for (const a of aborts) a.abort();
      await remove(t.users.admin, id);
    }
  });
});

describe("limits in the config file", () => {
  it("has defaults, reads sizes, and refuses bad values and unknown keys", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "nightshift-limits-"));
    try {
      const load = async (text: string) => {
        await writeFile(join(dir, "c.yaml"), text);
        return loadConfig({ dataDir: dir, configPath: join(dir, "c.yaml"), env: {} });
      };
      expect((await load("port: 8080\n")).limits).toEqual({
        queuedProcesses: 1000,
        uploadBytes: 10 * 1024 ** 3,
        logStreams: 20,
      });
      expect((await load("limits:\n  uploadBytes: 2GB\n  logStreams: 0\n")).limits).toEqual({
        queuedProcesses: 1000,
        uploadBytes: 2 * 1024 ** 3,
        logStreams: 0,
      });
      await expect(load("limits:\n  queuedProcesses: -1\n")).rejects.toThrow(
        /c\.yaml:2.*limits\.queuedProcesses/,
      );
      await expect(load("limits:\n  logStream: 5\n")).rejects.toThrow(
        /limits\.logStream.*did you mean `logStreams`/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

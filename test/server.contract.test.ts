/** The contract, endpoint by endpoint: status codes and body shapes (HAL, field names, paging). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer, waitFor } from "./fixtures/server/harness.js";
import { gates } from "./fixtures/server/scripts.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const PROCESS_FIELDS = [
  "processId",
  "userId",
  "scriptName",
  "startTime",
  "endTime",
  "creationTime",
  "processStatus",
  "parameters",
  "progress",
  "heartbeat",
  "exitMessage",
  "result",
  "account",
  "startedBy",
  "runAt",
  "_links",
];

async function start(script: string, properties: unknown, user = t.users.op, extra: Json = {}) {
  const r = await t.json<Json>(user, "POST", `/api/system/scripts/${script}/processes`, {
    properties,
    ...extra,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body;
}

describe("scripts", () => {
  it("GET /api/system/scripts is paged HAL with the scripts the caller may run", async () => {
    const r = await t.json<Json>(t.users.op, "GET", "/api/system/scripts?size=2");
    expect(r.status).toBe(200);
    expect(r.body.page).toEqual({ size: 2, totalElements: 4, totalPages: 2, number: 0 });
    expect(r.body._embedded.scripts.map((s: Json) => s.name)).toEqual(["gated", "index-discovery"]);
    expect(r.body._links.self.href).toBe(`${t.url}/api/system/scripts?size=2`);
    expect(r.body._links.next.href).toContain("page=1");
    const admin = await t.json<Json>(t.users.admin, "GET", "/api/system/scripts");
    expect(admin.body.page.totalElements).toBe(5);
    const viewer = await t.json<Json>(t.users.viewer, "GET", "/api/system/scripts");
    expect(viewer.body.page).toEqual({ size: 20, totalElements: 0, totalPages: 0, number: 0 });
  });

  it("GET /api/system/scripts/{name} maps parameter types to the contract's names", async () => {
    const r = await t.json<Json>(t.users.op, "GET", "/api/system/scripts/typed");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: "typed",
      name: "typed",
      type: "script",
      description: "Has one parameter of every type",
    });
    expect(r.body.parameters).toEqual([
      { name: "-n", nameLong: "--count", description: "a number", type: "Integer", mandatory: true },
      { name: "-d", nameLong: "--since", description: "a date", type: "date", mandatory: false },
      {
        name: "-m",
        nameLong: "--mode",
        description: "mode",
        type: "String",
        mandatory: false,
        values: ["fast", "slow"],
        defaultValue: "fast",
      },
      { name: "-o", nameLong: "--out", description: "an output", type: "OutputStream", mandatory: false },
      {
        name: "-k",
        nameLong: "--key",
        description: "a secret",
        type: "String",
        mandatory: false,
        secret: true,
      },
    ]);
    expect(r.body._links.self.href).toBe(`${t.url}/api/system/scripts/typed`);
    const upload = await t.json<Json>(t.users.op, "GET", "/api/system/scripts/upload");
    expect(upload.body.parameters[0].type).toBe("InputStream");
    const discovery = await t.json<Json>(t.users.op, "GET", "/api/system/scripts/index-discovery");
    expect(discovery.body.parameters.map((p: Json) => p.type)).toEqual([
      "String",
      "String",
      "boolean",
      "boolean",
      "boolean",
    ]);
    expect((await t.json(t.users.op, "GET", "/api/system/scripts/nope")).status).toBe(404);
    expect((await t.json(t.users.op, "GET", "/api/system/scripts/admin-only")).status).toBe(403);
  });
});

describe("processes", () => {
  it("POST .../processes answers 202 with the Process and a Location; GET shows it COMPLETED", async () => {
    const res = await t.call(t.users.op, "POST", "/api/system/scripts/index-discovery/processes", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        properties: [
          { name: "-i", value: "123456789/9" },
          { name: "-f", value: "true" },
        ],
      }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Json;
    expect(res.headers.get("location")).toBe(`${t.url}/api/system/processes/${body.processId}`);
    expect(Object.keys(body)).toEqual(expect.arrayContaining(PROCESS_FIELDS));
    expect(body).toMatchObject({
      userId: t.users.op.id,
      scriptName: "index-discovery",
      processStatus: "SCHEDULED",
      startedBy: "rest",
      // echoed as sent (issue 18), not as the engine reads them (--index, --force)
      parameters: [
        { name: "-i", value: "123456789/9" },
        { name: "-f", value: "true" },
      ],
    });
    for (const link of ["self", "script", "output", "files", "filetypes"])
      expect(body._links[link].href).toMatch(/^http:/);
    await t.waitForStatus(body.processId, "COMPLETED");
    const got = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${body.processId}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      processStatus: "COMPLETED",
      progress: { done: 1, total: 1 },
      result: { index: "123456789/9", force: true },
    });
    expect(got.body.startTime).toMatch(/Z$/);
    expect(got.body.endTime).toMatch(/Z$/);
    expect(got.body.heartbeat).toMatch(/Z$/);
  });

  it("runAt delays the start: SCHEDULED until then, and cancel ends it CANCELLED", async () => {
    const runAt = new Date(Date.now() + 3600_000).toISOString();
    const p = await start("index-discovery", [], t.users.op, { runAt });
    expect(p.runAt).toBe(runAt);
    expect((await t.engine.service.getProcess(p.processId))?.status).toBe("SCHEDULED");
    const cancel = await t.json<Json>(t.users.op, "POST", `/api/system/processes/${p.processId}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.processStatus).toBe("CANCELLED");
    expect((await t.json(t.users.op, "POST", `/api/system/processes/${p.processId}/cancel`)).status).toBe(
      422,
    );
  });

  it("cancel of a RUNNING process aborts it; DELETE refuses it with 422 while it runs", async () => {
    const p = await start("gated", [{ name: "-g", value: "never-opened" }]);
    await t.waitForStatus(p.processId, "RUNNING");
    const del = await t.json<Json>(t.users.op, "DELETE", `/api/system/processes/${p.processId}`);
    expect(del.status).toBe(422);
    expect(del.headers.get("content-type")).toContain("application/problem+json");
    expect(del.body.detail).toContain("RUNNING");
    const cancel = await t.json<Json>(t.users.op, "POST", `/api/system/processes/${p.processId}/cancel`);
    expect(cancel.status).toBe(200);
    await t.waitForStatus(p.processId, "CANCELLED");
    expect((await t.json(t.users.op, "DELETE", `/api/system/processes/${p.processId}`)).status).toBe(204);
    expect((await t.json(t.users.op, "GET", `/api/system/processes/${p.processId}`)).status).toBe(404);
  });

  it("GET /api/system/processes pages with the page object and links; sort and filters combine", async () => {
    for (let i = 0; i < 3; i++) await start("index-discovery", [{ name: "-i", value: `n${i}` }], t.users.op2);
    const all = await t.json<Json>(t.users.admin, "GET", "/api/system/processes?page=1&size=2");
    expect(all.status).toBe(200);
    expect(all.body.page.number).toBe(1);
    expect(all.body.page.size).toBe(2);
    expect(all.body.page.totalPages).toBe(Math.ceil(all.body.page.totalElements / 2));
    expect(all.body._links.prev.href).toContain("page=0");
    const ids = (r: Json) => r.body._embedded.processes.map((p: Json) => p.processId);
    const asc = await t.json<Json>(
      t.users.admin,
      "GET",
      `/api/system/processes/search/byProperty?userId=${t.users.op2.id}&sort=creationTime,asc`,
    );
    expect(asc.status).toBe(200);
    expect(asc.body.page.totalElements).toBe(3);
    expect(ids(asc)).toEqual([...ids(asc)].sort((a: number, b: number) => a - b));
    const desc = await t.json<Json>(
      t.users.admin,
      "GET",
      `/api/system/processes/search/byProperty?userId=${t.users.op2.id}&sort=creationTime,desc`,
    );
    expect(ids(desc)).toEqual([...ids(asc)].reverse());
    const none = await t.json<Json>(
      t.users.admin,
      "GET",
      `/api/system/processes/search/byProperty?userId=${t.users.op2.id}&scriptName=gated`,
    );
    expect(none.body.page.totalElements).toBe(0);
    const filtered = await t.json<Json>(
      t.users.admin,
      "GET",
      `/api/system/processes?scriptName=index-discovery&userId=${t.users.op2.id}`,
    );
    expect(filtered.body.page.totalElements).toBe(3);
    for (const sort of ["startTime,desc", "endTime,asc"])
      expect(
        (
          await t.json(
            t.users.admin,
            "GET",
            `/api/system/processes/search/byProperty?scriptName=index-discovery&sort=${sort}`,
          )
        ).status,
      ).toBe(200);
    expect((await t.json(t.users.admin, "GET", "/api/system/processes/search/byProperty")).status).toBe(400);
    const own = await t.json<Json>(
      t.users.op2,
      "GET",
      "/api/system/processes/search/own?processStatus=SCHEDULED,RUNNING,COMPLETED",
    );
    expect(own.status).toBe(200);
    expect(own.body.page.totalElements).toBe(3);
    expect(own.body._embedded.processes.every((p: Json) => p.userId === t.users.op2.id)).toBe(true);
  });

  it("uploads: files, filetypes, files/{type}, content; rerun uses the same parameters and inputs", async () => {
    const form = new FormData();
    form.append("properties", JSON.stringify([{ name: "-i", value: "in.txt" }]));
    form.append("file", new Blob(["hello world"]), "in.txt");
    const res = await t.call(t.users.op, "POST", "/api/system/scripts/upload/processes", { body: form });
    expect(res.status).toBe(202);
    const p = (await res.json()) as Json;
    await t.waitForStatus(p.processId, "COMPLETED");
    const base = `/api/system/processes/${p.processId}`;
    const types = await t.json<Json>(t.users.op, "GET", `${base}/filetypes`);
    expect(types.body).toMatchObject({
      id: `filetypes-${p.processId}`,
      values: expect.arrayContaining(["inputfile", "report", "log"]),
    });
    const files = await t.json<Json>(t.users.op, "GET", `${base}/files`);
    expect(files.body.page.totalElements).toBe(3);
    const input = files.body._embedded.files.find((f: Json) => f.fileType === "inputfile");
    expect(input).toMatchObject({
      name: "in.txt",
      sizeBytes: 11,
      checkSum: { checkSumAlgorithm: "SHA-256" },
    });
    // The files of a type, as DSpace answers (the RestContract text says "one file").
    const reports = await t.json<Json>(t.users.op, "GET", `${base}/files/report`);
    expect(reports.status).toBe(200);
    expect(reports.body._embedded.bitstreams).toHaveLength(1);
    const report = { body: reports.body._embedded.bitstreams[0] as Json };
    expect(report.body).toMatchObject({ fileType: "report" });
    const none = await t.json<Json>(t.users.op, "GET", `${base}/files/nosuchtype`);
    expect(none.status).toBe(404);
    expect(none.body.detail).toBe(`process ${p.processId} has no file of type 'nosuchtype'`);
    const content = await t.call(t.users.op, "GET", new URL(report.body._links.content.href).pathname);
    expect(content.status).toBe(200);
    expect(await content.text()).toBe("HELLO WORLD");
    expect((await t.json(t.users.op, "GET", `${base}/files/report/999999/content`)).status).toBe(404);
    const rerun = await t.json<Json>(t.users.op, "POST", `${base}/rerun`);
    expect(rerun.status).toBe(202);
    expect(rerun.body.parameters).toEqual(p.parameters);
    // a finished process re-runs from the start, unless told to continue from it
    expect(rerun.body.resumedFrom).toBeNull();
    // a COMPLETED process went through its whole input: nothing to resume (as `--resume` is refused; issue 17)
    const resumed = await t.json<Json>(t.users.op, "POST", `${base}/rerun?resume=true`);
    expect(resumed.status).toBe(422);
    expect(resumed.body.detail).toContain(`process ${p.processId} is COMPLETED`);
    expect((await t.json(t.users.op, "POST", `${base}/rerun?resume=maybe`)).status).toBe(400);
    await t.waitForStatus(rerun.body.processId, "COMPLETED");
  });

  it("GET .../output with Accept: text/plain is the log, readable while the process runs", async () => {
    const p = await start("gated", [{ name: "-g", value: "output-gate" }]);
    await t.waitForStatus(p.processId, "RUNNING");
    const url = `/api/system/processes/${p.processId}/output`;
    const textPlain = { headers: { accept: "text/plain" } };
    const during = await waitFor("the first line", async () => {
      const text = await (await t.call(t.users.op, "GET", url, textPlain)).text();
      return text.includes("before the gate") && text;
    });
    expect(during).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z INFO /);
    expect(during).not.toContain("after the gate");
    gates.open("output-gate");
    await t.waitForStatus(p.processId, "COMPLETED");
    const after = await t.call(t.users.op, "GET", url, textPlain);
    expect(after.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await after.text()).toContain("after the gate");
  });

  it("bulk delete deletes what it may and lists each refusal", async () => {
    const done = await start("index-discovery", []);
    await t.waitForStatus(done.processId, "COMPLETED");
    const running = await start("gated", [{ name: "-g", value: "bulk-gate" }]);
    await t.waitForStatus(running.processId, "RUNNING");
    const others = await start("index-discovery", [], t.users.op2);
    const r = await t.json<Json>(
      t.users.op,
      "DELETE",
      `/api/system/processes?ids=${done.processId},${running.processId},${others.processId},999999`,
    );
    expect(r.status).toBe(200);
    expect(r.body.deleted).toEqual([done.processId]);
    expect(r.body.refused).toEqual([
      { processId: running.processId, status: 422, detail: expect.stringContaining("RUNNING") },
      {
        processId: others.processId,
        status: 403,
        detail: `process ${others.processId} was started by another user; only they and admins may see it`,
      },
      { processId: 999999, status: 404, detail: "no process 999999" },
    ]);
    gates.open("bulk-gate");
    await t.waitForStatus(running.processId, "COMPLETED");
    const body = await t.json<Json>(t.users.op, "DELETE", "/api/system/processes", {
      ids: [running.processId],
    });
    expect(body.body).toEqual({ deleted: [running.processId], refused: [] });
    expect((await t.json(t.users.op, "DELETE", "/api/system/processes")).status).toBe(400);
  });
});

describe("system", () => {
  it("openapi.json is OpenAPI 3.1 with every contract path; /api is a readable page", async () => {
    const r = await t.json<Json>(undefined, "GET", "/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    for (const path of [
      "/api/system/scripts",
      "/api/system/scripts/{name}",
      "/api/system/scripts/{name}/processes",
      "/api/system/processes",
      "/api/system/processes/{id}",
      "/api/system/processes/{id}/output",
      "/api/system/processes/{id}/files",
      "/api/system/processes/{id}/filetypes",
      "/api/system/processes/{id}/files/{type}",
      "/api/system/processes/search/byProperty",
      "/api/system/processes/search/own",
      "/api/system/processes/{id}/cancel",
      "/api/system/processes/{id}/rerun",
    ])
      expect(Object.keys(r.body.paths)).toContain(path);
    const list = r.body.paths["/api/system/processes"].get;
    expect(list.parameters.map((p: Json) => p.name)).toEqual([
      "page",
      "size",
      "sort",
      "userId",
      "scriptName",
      "processStatus",
      "outcome",
      "createdAfter",
      "createdBefore",
    ]);
    expect(list.parameters[1].schema).toMatchObject({ type: "integer", maximum: 1000 });
    const post = r.body.paths["/api/system/scripts/{name}/processes"].post;
    expect(Object.keys(post.requestBody.content)).toEqual(["multipart/form-data", "application/json"]);
    expect(Object.keys(post.responses)).toEqual([
      "202",
      "400",
      "401",
      "403",
      "404",
      "413",
      "422",
      "429",
      "507",
    ]);
    const page = await t.call(undefined, "GET", "/api");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("/api/system/processes/{id}/output");
  });

  it("healthz, readyz and metrics", async () => {
    expect((await t.json(undefined, "GET", "/healthz")).body).toEqual({ status: "ok" });
    expect((await t.json(undefined, "GET", "/readyz")).body).toMatchObject({ status: "ready" });
    const metrics = await t.call(t.users.admin, "GET", "/metrics");
    const text = await metrics.text();
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    expect(text).toMatch(/^nightshift_processes\{status="COMPLETED",node="[^"]+"\} [1-9]\d*$/m);
    expect(text).toMatch(/^nightshift_queue_depth\{node="[^"]+"\} \d+$/m);
    expect(text).toMatch(
      /^nightshift_process_duration_seconds_count\{script="index-discovery",status="COMPLETED",node="[^"]+"\} [1-9]/m,
    );
    expect((await t.json(t.users.op, "GET", "/metrics")).status).toBe(403);
    expect((await t.json(undefined, "GET", "/metrics")).status).toBe(401);
  });
});

/**
 * DSpace compatibility (issue 18): where DSpace's implementation and the RestContract text differ, Nightshift
 * answers as DSpace does, because DSpace clients (its Angular UI included) depend on it. Each test names the
 * DSpace test method (ProcessRestRepositoryIT in DSpace/DSpace) whose behaviour it replays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processDetails } from "../src/cli/process-format.js";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";
import { gates } from "./fixtures/server/scripts.js";

let t: TestServer;
let processId: number;
beforeAll(async () => {
  t = await startTestServer();
  const form = new FormData();
  form.append("properties", JSON.stringify([{ name: "-i", value: "test.csv" }]));
  form.append("file", new Blob(["Test File For Process"]), "test.csv");
  const res = await t.call(t.users.op, "POST", "/api/system/scripts/upload/processes", { body: form });
  expect(res.status).toBe(202);
  processId = ((await res.json()) as Json).processId;
  await t.waitForStatus(processId, "COMPLETED");
});
afterAll(() => t.close());

describe("ProcessRestRepositoryIT", () => {
  it("getAllProcessesTestAdmin: GET /api/system/processes/ (trailing slash) lists as without it", async () => {
    const slash = await t.json<Json>(t.users.admin, "GET", "/api/system/processes/");
    expect(slash.status).toBe(200);
    const plain = await t.json<Json>(t.users.admin, "GET", "/api/system/processes");
    expect(slash.body._embedded.processes).toEqual(plain.body._embedded.processes);
    expect((await t.json(t.users.admin, "GET", `/api/system/processes/${processId}/files/`)).status).toBe(
      200,
    );
    expect((await t.json<Json>(t.users.op, "GET", "/api/system/processes/")).status).toBe(403);
  });

  it("getProcessFilesTypesRandomProcessId: a process id that is not a number is a 404", async () => {
    for (const path of [
      "/api/system/processes/java.util.Random@1b2c3d",
      "/api/system/processes/abc/filetypes",
    ]) {
      const res = await t.json<Json>(t.users.admin, "GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body.detail).toContain("ids are whole numbers");
    }
    // Digits beyond any id stay a 400 naming the field (review2.server-ids).
    expect((await t.json(t.users.admin, "GET", "/api/system/processes/99999999999999999999")).status).toBe(
      400,
    );
  });

  it("searchProcessTestInvalidEPersonUuid: search/byProperty with a userId that is no user is a 400", async () => {
    const res = await t.json<Json>(
      t.users.admin,
      "GET",
      "/api/system/processes/search/byProperty?userId=6d9a1c0e-3f5b-4b1a-9a52-0d1f3f0f6a11",
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].parameter).toBe("querystring.userId");
    const known = await t.json<Json>(
      t.users.admin,
      "GET",
      `/api/system/processes/search/byProperty?userId=${t.users.op.id}`,
    );
    expect(known.status).toBe(200);
    expect(known.body.page.totalElements).toBeGreaterThan(0);
  });

  it("getProcessFilesTypes: /filetypes has id filetypes-<processId>", async () => {
    const res = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${processId}/filetypes`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(`filetypes-${processId}`);
    expect(res.body.values).toContain("inputfile");
  });

  it("getProcessFilesByFileType: /files/{fileType} is the list of that type in _embedded.bitstreams", async () => {
    const res = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${processId}/files/inputfile`);
    expect(res.status).toBe(200);
    const [file] = res.body._embedded.bitstreams;
    expect(file.name).toBe("test.csv");
    expect(file.metadata["dspace.process.filetype"][0].value).toBe("inputfile");
    expect(res.body.page).toMatchObject({ totalElements: 1, number: 0 });
  });

  it("getProcessFiles: files carry uuid, type bitstream, sizeBytes, checkSum, metadata; bitstream content by uuid", async () => {
    const res = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${processId}/files`);
    const input = res.body._embedded.files.find((f: Json) => f.fileType === "inputfile");
    expect(input).toMatchObject({
      type: "bitstream",
      name: "test.csv",
      sizeBytes: 21,
      checkSum: { checkSumAlgorithm: "SHA-256" },
      metadata: {
        "dc.title": [{ value: "test.csv" }],
        "dspace.process.filetype": [{ value: "inputfile" }],
      },
    });
    expect(input.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    // Stable: the same uuid on every listing.
    const again = await t.json<Json>(
      t.users.admin,
      "GET",
      `/api/system/processes/${processId}/files/inputfile`,
    );
    expect(again.body._embedded.bitstreams[0].uuid).toBe(input.uuid);
    // The starter and an admin read the bytes; another user may not; an unknown uuid is a 404.
    for (const user of [t.users.op, t.users.admin]) {
      const content = await t.call(user, "GET", `/api/core/bitstreams/${input.uuid}/content`);
      expect(content.status).toBe(200);
      expect(await content.text()).toBe("Test File For Process");
    }
    expect((await t.call(t.users.op2, "GET", `/api/core/bitstreams/${input.uuid}/content`)).status).toBe(403);
    expect((await t.call(t.users.admin, "GET", "/api/core/bitstreams/not-a-uuid/content")).status).toBe(404);
  });
});

describe("ProcessRestRepositoryIT /output", () => {
  it("getProcessOutput: /output answers the log's file record, file type script_output, for the starter and an admin", async () => {
    const files = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${processId}/files/log`);
    const log = files.body._embedded.bitstreams[0];
    for (const user of [t.users.op, t.users.admin]) {
      const res = await t.json<Json>(user, "GET", `/api/system/processes/${processId}/output`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/hal\+json/);
      expect(res.body).toMatchObject({
        type: "bitstream",
        uuid: log.uuid,
        name: `upload-${processId}.log`,
        fileType: "script_output",
        sizeBytes: log.sizeBytes,
        checkSum: log.checkSum,
        metadata: {
          "dc.title": [{ value: `upload-${processId}.log` }],
          "dspace.process.filetype": [{ value: "script_output" }],
        },
      });
      // Its content link reads the log.
      const content = await t.call(user, "GET", new URL(res.body._links.content.href).pathname);
      expect(await content.text()).toMatch(/INFO/);
    }
    expect((await t.json(t.users.op2, "GET", `/api/system/processes/${processId}/output`)).status).toBe(403);
    // A browser's Accept (*/* after text/html) and JSON both get the record.
    for (const accept of ["application/json", "text/html,application/xhtml+xml,*/*;q=0.8", "*/*"]) {
      const res = await t.call(t.users.op, "GET", `/api/system/processes/${processId}/output`, {
        headers: { accept },
      });
      expect(((await res.json()) as Json).fileType, accept).toBe("script_output");
    }
  });

  it("getProcessOutput: the live log stays available as text/plain and text/event-stream", async () => {
    const text = await t.call(t.users.op, "GET", `/api/system/processes/${processId}/output`, {
      headers: { accept: "text/plain" },
    });
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await text.text()).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z INFO /);
    for (const init of [{ headers: { accept: "text/event-stream" } }, {}]) {
      const path = `/api/system/processes/${processId}/output${"headers" in init ? "" : "?follow=true"}`;
      const sse = await t.call(t.users.op, "GET", path, init);
      expect(sse.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(await sse.text()).toContain("event: end");
    }
  });

  it("getProcessOutput: a process that has not ended has no output file yet: 404 saying how to read the log", async () => {
    const res = await t.json<Json>(t.users.op, "POST", "/api/system/scripts/gated/processes", {
      properties: [{ name: "-g", value: "compat-output-gate" }],
    });
    await t.waitForStatus(res.body.processId, "RUNNING");
    const out = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${res.body.processId}/output`);
    expect(out.status).toBe(404);
    expect(out.body.detail).toContain("Accept: text/plain");
    gates.open("compat-output-gate");
    await t.waitForStatus(res.body.processId, "COMPLETED");
    const after = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${res.body.processId}/output`);
    expect(after.body.fileType).toBe("script_output");
  });
});

describe("ScriptRestRepositoryIT", () => {
  it("postProcessAdminWithOptionsSuccess: parameters are echoed as sent (-r value, -i null), secrets masked", async () => {
    const sent = [
      { name: "-r", value: "test" },
      { name: "-f", value: null },
      { name: "--build", value: "yes" },
    ];
    const res = await t.json<Json>(t.users.op, "POST", "/api/system/scripts/index-discovery/processes", {
      properties: sent,
    });
    expect(res.status).toBe(202);
    expect(res.body.parameters).toEqual(sent);
    const id = res.body.processId;
    const done = await t.waitForStatus(id, "COMPLETED");
    // The engine still reads them normalised: long names, typed values.
    expect(done.parameters).toEqual([
      { name: "--remove", value: "test" },
      { name: "--force", value: "true" },
      { name: "--build", value: "true" },
    ]);
    expect(done.result).toMatchObject({ force: true });
    // Every view echoes them as sent: the process, the list, search/own, a re-run.
    const got = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${id}`);
    expect(got.body.parameters).toEqual(sent);
    const own = await t.json<Json>(t.users.op, "GET", "/api/system/processes/search/own?size=100");
    expect(own.body._embedded.processes.find((p: Json) => p.processId === id).parameters).toEqual(sent);
    const listed = await t.json<Json>(t.users.admin, "GET", "/api/system/processes?size=100");
    expect(listed.body._embedded.processes.find((p: Json) => p.processId === id).parameters).toEqual(sent);
    const rerun = await t.json<Json>(t.users.op, "POST", `/api/system/processes/${id}/rerun`);
    expect(rerun.body.parameters).toEqual(sent);
    // The CLI shows them as written too.
    expect(processDetails(done)).toMatch(/parameters\s+-r test -f --build yes/);

    const secret = await t.json<Json>(t.users.op, "POST", "/api/system/scripts/typed/processes", {
      properties: [
        { name: "-n", value: 7 },
        { name: "--key", value: "hunter2-secret" },
      ],
    });
    expect(secret.status).toBe(202);
    expect(secret.body.parameters).toEqual([
      { name: "-n", value: 7 },
      { name: "--key", value: "********" },
    ]);
    const text = await (
      await t.call(t.users.op, "GET", `/api/system/processes/${secret.body.processId}`)
    ).text();
    expect(text).not.toContain("hunter2");
  });
});

/**
 * DSpace compatibility (issue 18): where DSpace's implementation and the RestContract text differ, Nightshift
 * answers as DSpace does, because DSpace clients (its Angular UI included) depend on it. Each test names the
 * DSpace test method (ProcessRestRepositoryIT in DSpace/DSpace) whose behaviour it replays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processDetails } from "../src/cli/process-format.js";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

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

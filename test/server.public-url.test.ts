/**
 * Links in REST answers: from the configured `publicUrl` when set (a forged Host cannot move them), from the
 * request otherwise; a malformed Host is a 400, never a 500.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

/** One raw HTTP/1.1 request (fetch cannot send an arbitrary Host); resolves with status and body. */
function rawGet(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
    const lines = [
      `GET ${path} HTTP/1.1`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      "Connection: close",
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

describe("without publicUrl", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it("builds links from the request", async () => {
    const r = await t.json<Json>(t.users.admin, "GET", "/api/system/processes");
    expect(r.status).toBe(200);
    expect(r.body._links.self.href.startsWith(`${t.url}/api/system/processes`)).toBe(true);
  });

  it.each([
    "exa mple.org",
    "x.org/evil",
    "[::1",
    "a@b.org",
    "x.org:99999",
    "x.org:port",
    "%41.org",
    "x.org?q",
  ])("answers a malformed Host %j with 400", async (host) => {
    const r = await rawGet(t.url, "/api/system/processes", {
      Host: host,
      Authorization: `Bearer ${t.users.admin.token}`,
    });
    expect(r.status, r.body).toBe(400);
    expect(r.body).toContain("Host");
  });

  it("accepts well-formed hosts: names, IPv4, IPv6, with ports", async () => {
    for (const host of ["nightshift.example.org", "127.0.0.1:8080", "[::1]:8080", "localhost"]) {
      const r = await rawGet(t.url, "/api/system/scripts", {
        Host: host,
        Authorization: `Bearer ${t.users.admin.token}`,
      });
      expect(r.status, host).toBe(200);
      expect(r.body).toContain(`http://${host}/api/system/scripts`);
    }
  });
});

describe("with publicUrl", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ publicUrl: "https://nightshift.example.org/ns" });
  });
  afterAll(() => t.close());

  it("builds every link from it, whatever Host the request carries", async () => {
    const r = await rawGet(t.url, "/api/system/scripts", {
      Host: "attacker.example",
      Authorization: `Bearer ${t.users.admin.token}`,
    });
    expect(r.status).toBe(200);
    expect(r.body).toContain("https://nightshift.example.org/ns/api/system/scripts");
    expect(r.body).not.toContain("attacker.example");
    const start = await t.call(t.users.admin, "POST", "/api/system/scripts/typed/processes", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ properties: [{ name: "-n", value: "1" }] }),
    });
    expect(start.status).toBe(202);
    const body = (await start.json()) as Json;
    expect(start.headers.get("location")).toBe(
      `https://nightshift.example.org/ns/api/system/processes/${body.processId}`,
    );
    expect(body._links.self.href).toBe(
      `https://nightshift.example.org/ns/api/system/processes/${body.processId}`,
    );
  });
});

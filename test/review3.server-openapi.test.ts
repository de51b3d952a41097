/**
 * Review 3: /api/openapi.json is a structurally valid OpenAPI 3.1 document that lists exactly the server's
 * routes, documents the contract's HAL shapes, and every documented response (status, content type, schema)
 * is what a running server really answers. No validator package is a direct dependency (Ajv comes only with
 * Fastify), so a small JSON-schema checker for the keywords the document uses lives here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserDirectory } from "../src/server/auth/users.js";
import { fileUuid } from "../src/server/views/file-uuid.js";
import { signEvent } from "../src/trigger/signature.js";
import { type Json, PASSWORD, startTestServer, type TestServer } from "./fixtures/server/harness.js";
import { gates } from "./fixtures/server/scripts.js";

let t: TestServer;
let doc: Json;
beforeAll(async () => {
  process.env.NIGHTSHIFT_OPENAPI_TRIGGER_SECRET = "openapi-trigger-secret";
  const secret = "env:NIGHTSHIFT_OPENAPI_TRIGGER_SECRET";
  t = await startTestServer({
    // "check access" of an account whose sandbox does not answer (a token error, reported), and of one whose
    // secret's variable is not set (422)
    accounts: {
      dead: { key: "k", secret: secret, sandboxUrl: "http://127.0.0.1:9" },
      unset: { key: "k", secret: "env:NIGHTSHIFT_OPENAPI_NOT_SET", sandboxUrl: "http://127.0.0.1:9" },
    },
    raw: {
      schedules: { "from-config": { script: "index-discovery", cron: "0 2 * * 1", timezone: "UTC" } },
      triggers: {
        hook: { script: "typed", payload: { "--count": "/n" }, secret },
        once: { script: "typed", args: ["-n", "1"], secret, rateLimit: "1/min" },
      },
    },
  });
  doc = (await t.json<Json>(undefined, "GET", "/api/openapi.json")).body;
});
afterAll(() => t.close());

/** Resolves a local `#/a/b` reference in the document; throws on a dangling one. */
function resolve(ref: string): Json {
  if (!ref.startsWith("#/")) throw new Error(`non-local $ref ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return node as Json;
}

const ANNOTATIONS = new Set(["description", "default", "contentMediaType", "title", "examples"]);
const typeOf = (v: unknown) =>
  v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;

/** The JSON-schema keywords the document uses; an unknown keyword is an error (not silently passed). */
function check(schema: Json, value: unknown, at = "$"): string[] {
  const errs: string[] = [];
  for (const [k, s] of Object.entries(schema)) {
    if (ANNOTATIONS.has(k)) continue;
    const v = value as Json;
    const isObj = typeOf(value) === "object";
    if (k === "$ref") errs.push(...check(resolve(s), value, at));
    else if (k === "type") {
      const types = [s].flat() as string[];
      const actual = typeOf(value);
      if (!types.includes(actual) && !(actual === "integer" && types.includes("number")))
        errs.push(`${at}: ${actual} is not ${types.join("|")}`);
    } else if (k === "enum") {
      if (!s.includes(value)) errs.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(s)}`);
    } else if (k === "const") {
      if (value !== s) errs.push(`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(s)}`);
    } else if (k === "required") {
      if (isObj) for (const name of s) if (!(name in v)) errs.push(`${at}: missing '${name}'`);
    } else if (k === "properties") {
      if (isObj)
        for (const [name, sub] of Object.entries(s as Json))
          if (name in v) errs.push(...check(sub, v[name], `${at}.${name}`));
    } else if (k === "additionalProperties") {
      if (isObj)
        for (const name of Object.keys(v).filter((n) => !(n in (schema.properties ?? {}))))
          errs.push(...(s === false ? [`${at}: unexpected '${name}'`] : check(s, v[name], `${at}.${name}`)));
    } else if (k === "items") {
      if (Array.isArray(value))
        for (const [i, item] of value.entries()) errs.push(...check(s, item, `${at}[${i}]`));
    } else if (k === "minimum" || k === "maximum") {
      if (typeof value === "number" && (k === "minimum" ? value < s : value > s))
        errs.push(`${at}: ${k} ${s}`);
    } else if (k === "minItems" || k === "maxItems") {
      if (Array.isArray(value) && (k === "minItems" ? value.length < s : value.length > s))
        errs.push(`${at}: ${k} ${s}`);
    } else if (k === "minLength" || k === "maxLength") {
      if (typeof value === "string" && (k === "minLength" ? value.length < s : value.length > s))
        errs.push(`${at}: ${k} ${s}`);
    } else if (k === "pattern") {
      if (typeof value === "string" && !new RegExp(s, "u").test(value)) errs.push(`${at}: not /${s}/`);
    } else errs.push(`${at}: the checker does not know keyword '${k}'`);
  }
  return errs;
}

/** Every schema object in the document (components, parameters, bodies, responses). */
function allSchemas(): Json[] {
  const out: Json[] = Object.values(doc.components.schemas);
  for (const item of Object.values<Json>(doc.paths))
    for (const op of Object.values<Json>(item)) {
      for (const p of op.parameters ?? []) out.push(p.schema);
      for (const c of Object.values<Json>(op.requestBody?.content ?? {})) out.push(c.schema);
      for (const r of Object.values<Json>(op.responses))
        for (const c of Object.values<Json>(r.content ?? {})) out.push(c.schema);
    }
  return out;
}

describe("structure", () => {
  it("has openapi 3.1, info, paths, components and both security schemes", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe("string");
    expect(typeof doc.info.version).toBe("string");
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: { type: "http", scheme: "bearer" },
      cookieAuth: { type: "apiKey", in: "cookie", name: "nightshift_session" },
    });
    for (const req of doc.security)
      for (const name of Object.keys(req)) expect(doc.components.securitySchemes).toHaveProperty(name);
  });

  it("every operation is well formed: responses, path parameters, unique operationIds", () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      expect(path.startsWith("/")).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries<Json>(item)) {
        const where = `${method} ${path}`;
        expect(["get", "put", "post", "delete", "patch", "options", "head", "trace"], where).toContain(
          method,
        );
        expect(typeof op.summary, where).toBe("string");
        expect(ids.has(op.operationId), `${where} operationId`).toBe(false);
        ids.add(op.operationId);
        const params: Json[] = op.parameters ?? [];
        expect(
          params
            .filter((p) => p.in === "path")
            .map((p) => p.name)
            .sort(),
          where,
        ).toEqual(templated);
        for (const p of params) {
          expect(["path", "query", "header", "cookie"], where).toContain(p.in);
          if (p.in === "path") expect(p.required, `${where} ${p.name}`).toBe(true);
          expect(typeof p.schema, `${where} ${p.name}`).toBe("object");
        }
        expect(new Set(params.map((p) => `${p.in}:${p.name}`)).size, where).toBe(params.length);
        if (op.requestBody) expect(Object.keys(op.requestBody.content).length, where).toBeGreaterThan(0);
        expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
        for (const [status, r] of Object.entries<Json>(op.responses)) {
          expect(status, where).toMatch(/^[1-5]\d\d$/);
          expect(typeof r.description, `${where} ${status}`).toBe("string");
          if (status !== "204")
            expect(Object.keys(r.content ?? {}).length, `${where} ${status}`).toBeGreaterThan(0);
        }
        // Only the public routes may leave out 401 (login still answers it for a wrong password).
        if (op.security?.length !== 0)
          expect(Object.keys(op.responses), `${where} needs credentials`).toContain("401");
      }
    }
  });

  it("the checker refuses what the contract forbids", () => {
    const process = { $ref: "#/components/schemas/Process" };
    expect(check(process, { processId: 1 }).join()).toContain("missing 'scriptName'");
    const page = { $ref: "#/components/schemas/ProcessPage" };
    const body = {
      _embedded: { processes: [{}] },
      _links: { self: { href: "x" } },
      page: { size: 1, totalElements: 1, totalPages: 1, number: 0 },
    };
    expect(check(page, body).join()).toContain("$._embedded.processes[0]: missing 'processStatus'");
    expect(check({ $ref: "#/components/schemas/ScriptParameter" }, { type: "file" }).join()).toContain(
      '"file" not in',
    );
  });

  it("the bulk delete's JSON body is optional (?ids= does the same); a start needs its body", () => {
    expect(doc.paths["/api/system/processes"].delete.requestBody.required).toBe(false);
    expect(doc.paths["/api/system/scripts/{name}/processes"].post.requestBody.required).toBe(true);
  });

  it("every $ref resolves and every schema uses only keywords the checker knows", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(() => resolve(JSON.parse(`{${r}}`).$ref)).not.toThrow();
    // Checking a schema against a value of every type visits all of its keywords.
    for (const s of allSchemas())
      for (const v of [null, 1, "x", true, [1], { a: 1 }])
        expect(check(s, v).filter((e) => e.includes("does not know"))).toEqual([]);
  });
});

describe("routes", () => {
  /** `METHOD /path` of every route the source registers (read independently of the document). */
  function sourceRoutes(): string[] {
    const dir = join(import.meta.dirname, "../src/server/routes");
    const found: string[] = [];
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), "utf8");
      for (const m of text.matchAll(/app\.(get|post|put|patch|delete)\s*(?:<[\s\S]*?>)?\(\s*"([^"]+)"/g))
        found.push(`${m[1]} ${m[2].replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
    }
    return found.sort();
  }
  const documented = () =>
    Object.entries<Json>(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`))
      .sort();

  it("documents every route of the server and nothing else", () => {
    expect(sourceRoutes().length).toBeGreaterThan(20);
    expect(documented()).toEqual(sourceRoutes());
    for (const op of documented()) {
      const [method, path] = op.split(" ");
      const url = path.replace(/\{([^}]+)\}/g, ":$1");
      expect(t.server.app.hasRoute({ method: method.toUpperCase() as "GET", url }), op).toBe(true);
    }
  });

  it("the API page renders every operation and links to the document", async () => {
    const res = await t.call(undefined, "GET", "/api");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<a href="/api/openapi.json">');
    expect(html).toContain("Another user's process answers 403");
    expect(html).not.toContain("Others' processes answer 404");
    for (const op of documented()) {
      const [method, path] = op.split(" ");
      expect(html, op).toContain(
        `<td><b>${method.toUpperCase()}</b></td><td><code>${path.replace(/"/g, "&#34;")}`,
      );
    }
  });
});

describe("responses conform to the document", () => {
  interface Case {
    readonly op: string;
    readonly status: number;
    readonly path: string;
    readonly user?: keyof TestServer["users"] | "none";
    readonly init?: RequestInit;
  }
  const seen = new Set<string>();

  /** Calls the server and checks status, content type and body against the documented response. */
  async function expectConforms(s: TestServer, c: Case): Promise<void> {
    const [method, path] = c.op.split(" ");
    const user = c.user === "none" ? undefined : s.users[c.user ?? "admin"];
    const res = await s.call(user, method.toUpperCase(), c.path, c.init);
    const text = await res.text();
    const where = `${c.op} -> ${c.path}: ${text.slice(0, 300)}`;
    expect(res.status, where).toBe(c.status);
    const documented = doc.paths[path]?.[method]?.responses?.[String(c.status)];
    expect(documented, `${where}: status ${c.status} not documented`).toBeDefined();
    seen.add(`${c.op} ${c.status}`);
    if (c.status === 204) return;
    const type = (res.headers.get("content-type") ?? "").split(";")[0];
    const content = documented.content[type];
    expect(
      content,
      `${where}: content type ${type} not among ${Object.keys(documented.content)}`,
    ).toBeDefined();
    const body = /json$/.test(type) ? JSON.parse(text) : text;
    expect(check(content.schema, body), where).toEqual([]);
  }

  let ids: {
    done: number;
    running: number;
    secret: number;
    other: number;
    inputFile: number;
    logFile: number;
    tokenId: number;
  };
  beforeAll(async () => {
    const f = new FormData();
    f.append("properties", JSON.stringify([{ name: "-i", value: "in.txt" }]));
    f.append("file", new Blob(["abc"]), "in.txt");
    const start = async (user: TestServer["users"]["op"], script: string, body: RequestInit["body"]) => {
      const init =
        typeof body === "string" ? { body, headers: { "content-type": "application/json" } } : { body };
      const res = await t.call(user, "POST", `/api/system/scripts/${script}/processes`, init);
      expect(res.status).toBe(202);
      return ((await res.json()) as Json).processId as number;
    };
    const done = await start(t.users.op, "upload", f);
    const secret = await start(
      t.users.op,
      "typed",
      JSON.stringify({
        properties: [
          { name: "-n", value: "1" },
          { name: "-k", value: "s3" },
        ],
      }),
    );
    const running = await start(
      t.users.op,
      "gated",
      JSON.stringify({ properties: [{ name: "-g", value: "openapi-review" }] }),
    );
    const other = await start(t.users.op2, "index-discovery", JSON.stringify({ properties: [] }));
    await t.waitForStatus(done, "COMPLETED");
    await t.waitForStatus(secret, "COMPLETED");
    await t.waitForStatus(other, "COMPLETED");
    await t.waitForStatus(running, "RUNNING");
    const files = await t.engine.service.listFiles(done);
    const fileId = (type: string) => files.find((x) => x.type === type)?.id ?? 0;
    const { record } = await createUserDirectory(t.engine.store).createToken(t.users.op.name, { label: "x" });
    ids = {
      done,
      running,
      secret,
      other,
      inputFile: fileId("inputfile"),
      logFile: fileId("log"),
      tokenId: record.id,
    };
  });
  afterAll(() => gates.open("openapi-review"));

  const P = "/api/system/processes";
  const json = (body: unknown): RequestInit => ({
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  const cases = (): Case[] => {
    const { done, running, secret, other, inputFile, logFile, tokenId } = ids;
    return [
      { op: "get /healthz", status: 200, path: "/healthz", user: "none" },
      { op: "get /readyz", status: 200, path: "/readyz", user: "none" },
      { op: "get /metrics", status: 200, path: "/metrics" },
      { op: "get /api/system/accounts", status: 200, path: "/api/system/accounts" },
      { op: "get /api/system/accounts", status: 403, path: "/api/system/accounts", user: "op" },
      ...(["dead", "unset", "nobody"] as const).map((name, i) => ({
        op: "post /api/system/accounts/{name}/check",
        status: [200, 422, 404][i],
        path: `/api/system/accounts/${name}/check`,
        init: { method: "POST" },
      })),
      {
        op: "post /api/system/accounts/{name}/check",
        status: 403,
        path: "/api/system/accounts/dead/check",
        user: "op",
        init: { method: "POST" },
      },
      {
        op: "post /api/system/accounts/{name}/check",
        status: 400,
        path: `/api/system/accounts/${"x".repeat(81)}/check`,
        init: { method: "POST" },
      },
      { op: "get /api/system/doctor", status: 200, path: "/api/system/doctor" },
      { op: "get /api/system/doctor", status: 400, path: "/api/system/doctor?probe=maybe" },
      { op: "get /api/system/doctor", status: 403, path: "/api/system/doctor", user: "viewer" },
      { op: "get /metrics", status: 403, path: "/metrics", user: "op" },
      { op: "get /api/openapi.json", status: 200, path: "/api/openapi.json", user: "none" },
      { op: "get /api", status: 200, path: "/api", user: "none" },
      { op: "get /api/auth/me", status: 200, path: "/api/auth/me", user: "viewer" },
      { op: "get /api/auth/users", status: 200, path: "/api/auth/users" },
      { op: "get /api/auth/tokens", status: 200, path: "/api/auth/tokens", user: "op" },
      { op: "post /api/auth/tokens", status: 201, path: "/api/auth/tokens", init: json({ label: "ci" }) },
      { op: "post /api/auth/tokens", status: 400, path: "/api/auth/tokens", init: json({ expires: "soon" }) },
      {
        op: "delete /api/auth/tokens/{tokenId}",
        status: 400,
        path: "/api/auth/tokens/x",
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/auth/tokens/{tokenId}",
        status: 404,
        path: `/api/auth/tokens/${tokenId}`,
        user: "op2",
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/auth/tokens/{tokenId}",
        status: 204,
        path: `/api/auth/tokens/${tokenId}`,
        user: "op",
        init: { method: "DELETE" },
      },
      { op: "get /api/auth/users", status: 403, path: "/api/auth/users", user: "op" },
      {
        op: "post /api/auth/login",
        status: 200,
        path: "/api/auth/login",
        user: "none",
        init: json({ name: "olga", password: PASSWORD }),
      },
      {
        op: "post /api/auth/login",
        status: 400,
        path: "/api/auth/login",
        user: "none",
        init: json({ name: "olga" }),
      },
      {
        op: "post /api/auth/login",
        status: 401,
        path: "/api/auth/login",
        user: "none",
        init: json({ name: "ghost", password: "x" }),
      },
      { op: "get /api/system/scripts", status: 200, path: "/api/system/scripts?size=2" },
      { op: "get /api/system/scripts", status: 400, path: "/api/system/scripts?size=0" },
      { op: "get /api/system/scripts/{name}", status: 200, path: "/api/system/scripts/typed" },
      {
        op: "get /api/system/scripts/{name}",
        status: 403,
        path: "/api/system/scripts/admin-only",
        user: "op",
      },
      { op: "get /api/system/scripts/{name}", status: 404, path: "/api/system/scripts/nope" },
      {
        op: "post /api/system/scripts/{name}/processes",
        status: 202,
        path: "/api/system/scripts/index-discovery/processes",
        init: json({ properties: [{ name: "-i", value: "1/2" }] }),
      },
      {
        op: "post /api/system/scripts/{name}/processes",
        status: 400,
        path: "/api/system/scripts/typed/processes",
        init: { method: "POST", body: "x", headers: { "content-type": "text/plain" } },
      },
      {
        op: "post /api/system/scripts/{name}/processes",
        status: 403,
        path: "/api/system/scripts/admin-only/processes",
        user: "op",
        init: json({ properties: [] }),
      },
      {
        op: "post /api/system/scripts/{name}/processes",
        status: 404,
        path: "/api/system/scripts/nope/processes",
        init: json({ properties: [] }),
      },
      {
        op: "post /api/system/scripts/{name}/processes",
        status: 422,
        path: "/api/system/scripts/typed/processes",
        init: json({ properties: [{ name: "-n", value: "x" }] }),
      },
      { op: "get /api/system/processes", status: 200, path: `${P}?size=2` },
      { op: "get /api/system/processes", status: 400, path: `${P}?processStatus=DONE` },
      { op: "get /api/system/processes", status: 403, path: P, user: "op" },
      {
        op: "get /api/system/processes/search/byProperty",
        status: 200,
        path: `${P}/search/byProperty?scriptName=upload&sort=creationTime,desc`,
      },
      { op: "get /api/system/processes/search/byProperty", status: 400, path: `${P}/search/byProperty` },
      {
        op: "get /api/system/processes/search/byProperty",
        status: 403,
        path: `${P}/search/byProperty?scriptName=upload`,
        user: "op",
      },
      { op: "get /api/system/processes/search/own", status: 200, path: `${P}/search/own`, user: "op" },
      {
        op: "get /api/system/processes/search/own",
        status: 400,
        path: `${P}/search/own?sort=colour`,
        user: "op",
      },
      { op: "get /api/system/processes/search/counts", status: 200, path: `${P}/search/counts`, user: "op" },
      {
        op: "get /api/system/processes/search/counts",
        status: 400,
        path: `${P}/search/counts?createdAfter=yesterday`,
      },
      {
        op: "get /api/system/processes/search/counts",
        status: 403,
        path: `${P}/search/counts?userId=someone-else`,
        user: "op",
      },
      { op: "get /api/system/processes/{id}", status: 200, path: `${P}/${done}`, user: "op" },
      { op: "get /api/system/processes/{id}", status: 200, path: `${P}/${running}`, user: "op" },
      // Digits beyond any id: 400; a non-number is a 404, as DSpace answers (server.dspace-compat).
      { op: "get /api/system/processes/{id}", status: 400, path: `${P}/99999999999999999999` },
      { op: "get /api/system/processes/{id}", status: 403, path: `${P}/${other}`, user: "op" },
      { op: "get /api/system/processes/{id}", status: 404, path: `${P}/999999` },
      { op: "get /api/system/processes/{id}/output", status: 200, path: `${P}/${done}/output`, user: "op" },
      {
        op: "get /api/system/processes/{id}/output",
        status: 200,
        path: `${P}/${done}/output?follow=true`,
        user: "op",
      },
      { op: "get /api/system/processes/{id}/output", status: 400, path: `${P}/${done}/output?fromByte=-1` },
      { op: "get /api/system/processes/{id}/output", status: 403, path: `${P}/${other}/output`, user: "op" },
      { op: "get /api/system/processes/{id}/output", status: 404, path: `${P}/999999/output` },
      { op: "get /api/system/processes/{id}/files", status: 200, path: `${P}/${done}/files`, user: "op" },
      { op: "get /api/system/processes/{id}/files", status: 400, path: `${P}/${done}/files?page=-1` },
      { op: "get /api/system/processes/{id}/files", status: 403, path: `${P}/${other}/files`, user: "op" },
      { op: "get /api/system/processes/{id}/files", status: 404, path: `${P}/999999/files` },
      {
        op: "get /api/system/processes/{id}/notifications",
        status: 200,
        path: `${P}/${done}/notifications`,
        user: "op",
      },
      { op: "get /api/system/processes/{id}/notifications", status: 400, path: `${P}/0/notifications` },
      {
        op: "get /api/system/processes/{id}/notifications",
        status: 403,
        path: `${P}/${other}/notifications`,
        user: "op",
      },
      { op: "get /api/system/processes/{id}/notifications", status: 404, path: `${P}/999999/notifications` },
      {
        op: "get /api/system/processes/{id}/filetypes",
        status: 200,
        path: `${P}/${done}/filetypes`,
        user: "op",
      },
      { op: "get /api/system/processes/{id}/filetypes", status: 400, path: `${P}/0/filetypes` },
      {
        op: "get /api/system/processes/{id}/filetypes",
        status: 403,
        path: `${P}/${other}/filetypes`,
        user: "op",
      },
      { op: "get /api/system/processes/{id}/filetypes", status: 404, path: `${P}/999999/filetypes` },
      {
        op: "get /api/system/processes/{id}/files/{type}",
        status: 200,
        path: `${P}/${done}/files/inputfile`,
        user: "op",
      },
      {
        op: "get /api/system/processes/{id}/files/{type}",
        status: 400,
        path: `${P}/0/files/log`,
      },
      {
        op: "get /api/system/processes/{id}/files/{type}",
        status: 404,
        path: `${P}/${done}/files/nosuchtype`,
        user: "op",
      },
      {
        op: "get /api/system/processes/{id}/files/{type}",
        status: 403,
        path: `${P}/${other}/files/log`,
        user: "op",
      },
      { op: "get /api/system/processes/{id}/files/{type}", status: 404, path: `${P}/999999/files/log` },
      {
        op: "get /api/system/processes/{id}/files/{type}/{fileId}/content",
        status: 200,
        path: `${P}/${done}/files/inputfile/${inputFile}/content`,
        user: "op",
      },
      {
        op: "get /api/system/processes/{id}/files/{type}/{fileId}/content",
        status: 200,
        path: `${P}/${done}/files/log/${logFile}/content`,
        user: "op",
      },
      {
        op: "get /api/system/processes/{id}/files/{type}/{fileId}/content",
        status: 400,
        path: `${P}/${done}/files/log/99999999999999999999/content`,
      },
      {
        op: "get /api/core/bitstreams/{uuid}/content",
        status: 200,
        path: `/api/core/bitstreams/${fileUuid(done, inputFile)}/content`,
        user: "op",
      },
      {
        op: "get /api/core/bitstreams/{uuid}/content",
        status: 403,
        path: `/api/core/bitstreams/${fileUuid(other, 1)}/content`,
        user: "op",
      },
      {
        op: "get /api/core/bitstreams/{uuid}/content",
        status: 404,
        path: "/api/core/bitstreams/nope/content",
      },
      {
        op: "get /api/system/processes/{id}/files/{type}/{fileId}/content",
        status: 403,
        path: `${P}/${other}/files/log/1/content`,
        user: "op",
      },
      {
        op: "get /api/system/processes/{id}/files/{type}/{fileId}/content",
        status: 404,
        path: `${P}/${done}/files/log/999999/content`,
      },
      {
        op: "post /api/system/processes/{id}/cancel",
        status: 400,
        path: `${P}/0/cancel`,
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/cancel",
        status: 403,
        path: `${P}/${running}/cancel`,
        user: "viewer",
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/cancel",
        status: 404,
        path: `${P}/999999/cancel`,
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/cancel",
        status: 422,
        path: `${P}/${done}/cancel`,
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/rerun",
        status: 202,
        path: `${P}/${done}/rerun`,
        user: "op",
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/rerun",
        status: 400,
        path: `${P}/${done}/rerun?resume=maybe`,
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/rerun",
        status: 403,
        path: `${P}/${other}/rerun`,
        user: "op",
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/rerun",
        status: 404,
        path: `${P}/999999/rerun`,
        init: { method: "POST" },
      },
      {
        op: "post /api/system/processes/{id}/rerun",
        status: 422,
        path: `${P}/${secret}/rerun`,
        user: "op",
        init: { method: "POST" },
      },
      {
        op: "delete /api/system/processes/{id}",
        status: 400,
        path: `${P}/99999999999999999999`,
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/processes/{id}",
        status: 403,
        path: `${P}/${other}`,
        user: "op",
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/processes/{id}",
        status: 404,
        path: `${P}/999999`,
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/processes/{id}",
        status: 422,
        path: `${P}/${running}`,
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/processes/{id}",
        status: 204,
        path: `${P}/${secret}`,
        user: "op",
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/processes",
        status: 200,
        path: `${P}?ids=${running},999999,${other}`,
        user: "op",
        init: { method: "DELETE" },
      },
      { op: "delete /api/system/processes", status: 400, path: P, init: { method: "DELETE" } },
      {
        op: "delete /api/system/processes",
        status: 403,
        path: `${P}?ids=1`,
        user: "viewer",
        init: { method: "DELETE" },
      },
      ...scheduleCases(),
      ...triggerCases(),
      // The last one: cancels the gated process.
      {
        op: "post /api/system/processes/{id}/cancel",
        status: 200,
        path: `${P}/${running}/cancel`,
        init: { method: "POST" },
      },
    ];
  };

  const scheduleCases = (): Case[] => {
    const S = "/api/system/schedules";
    const nightly = {
      name: "nightly",
      script: "typed",
      cron: "0 3 * * *",
      timezone: "Europe/Berlin",
      args: ["-n", "2"],
    };
    const big = {
      body: JSON.stringify({ name: "x".repeat(1_100_000) }),
      headers: { "content-type": "application/json" },
    };
    const patch = (body: unknown): RequestInit => ({ ...json(body), method: "PATCH" });
    return [
      { op: "post /api/system/schedules", status: 201, path: S, init: json(nightly) },
      { op: "post /api/system/schedules", status: 409, path: S, init: json(nightly) },
      {
        op: "post /api/system/schedules",
        status: 403,
        path: S,
        user: "op",
        init: json({ ...nightly, name: "n2" }),
      },
      { op: "post /api/system/schedules", status: 400, path: S, init: json({ script: "typed" }) },
      {
        op: "post /api/system/schedules",
        status: 422,
        path: S,
        init: json({ ...nightly, name: "n3", args: ["-n", "x"] }),
      },
      { op: "post /api/system/schedules", status: 413, path: S, init: { method: "POST", ...big } },
      { op: "get /api/system/schedules", status: 200, path: S, user: "viewer" },
      { op: "get /api/system/schedules", status: 400, path: `${S}?size=0` },
      { op: "get /api/system/schedules/{name}", status: 200, path: `${S}/nightly`, user: "viewer" },
      { op: "get /api/system/schedules/{name}", status: 404, path: `${S}/nope` },
      {
        op: "patch /api/system/schedules/{name}",
        status: 200,
        path: `${S}/nightly`,
        init: patch({ enabled: false }),
      },
      {
        op: "patch /api/system/schedules/{name}",
        status: 400,
        path: `${S}/nightly`,
        init: patch({ enabled: "no" }),
      },
      {
        op: "patch /api/system/schedules/{name}",
        status: 403,
        path: `${S}/nightly`,
        user: "op",
        init: patch({}),
      },
      { op: "patch /api/system/schedules/{name}", status: 404, path: `${S}/nope`, init: patch({}) },
      { op: "patch /api/system/schedules/{name}", status: 409, path: `${S}/from-config`, init: patch({}) },
      {
        op: "patch /api/system/schedules/{name}",
        status: 422,
        path: `${S}/nightly`,
        init: patch({ cron: "61 * * * *" }),
      },
      {
        op: "patch /api/system/schedules/{name}",
        status: 413,
        path: `${S}/nightly`,
        init: { method: "PATCH", ...big },
      },
      { op: "get /api/system/schedules/{name}/next", status: 200, path: `${S}/from-config/next?count=3` },
      { op: "get /api/system/schedules/{name}/next", status: 400, path: `${S}/from-config/next?count=0` },
      { op: "get /api/system/schedules/{name}/next", status: 404, path: `${S}/nope/next` },
      {
        op: "post /api/system/schedules/{name}/run",
        status: 202,
        path: `${S}/nightly/run`,
        init: { method: "POST" },
      },
      {
        op: "post /api/system/schedules/{name}/run",
        status: 403,
        path: `${S}/nightly/run`,
        user: "viewer",
        init: { method: "POST" },
      },
      {
        op: "post /api/system/schedules/{name}/run",
        status: 404,
        path: `${S}/nope/run`,
        init: { method: "POST" },
      },
      {
        op: "delete /api/system/schedules/{name}",
        status: 403,
        path: `${S}/nightly`,
        user: "op",
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/schedules/{name}",
        status: 409,
        path: `${S}/from-config`,
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/schedules/{name}",
        status: 204,
        path: `${S}/nightly`,
        init: { method: "DELETE" },
      },
      {
        op: "delete /api/system/schedules/{name}",
        status: 404,
        path: `${S}/nightly`,
        init: { method: "DELETE" },
      },
    ];
  };

  const triggerCases = (): Case[] => {
    const T = "/api/triggers";
    const event = (body: string, at = Math.floor(Date.now() / 1000)): RequestInit => ({
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-nightshift-signature": signEvent("openapi-trigger-secret", body, at),
      },
    });
    const first = event(JSON.stringify({ n: 5 }));
    return [
      { op: "get /api/system/triggers", status: 200, path: "/api/system/triggers", user: "viewer" },
      { op: "get /api/system/triggers", status: 400, path: "/api/system/triggers?size=0" },
      { op: "post /api/triggers/{name}", status: 202, path: `${T}/hook`, user: "none", init: first },
      { op: "post /api/triggers/{name}", status: 200, path: `${T}/hook`, user: "none", init: first },
      { op: "post /api/triggers/{name}", status: 400, path: `${T}/hook`, user: "none", init: event("{") },
      {
        op: "post /api/triggers/{name}",
        status: 401,
        path: `${T}/hook`,
        user: "none",
        init: event(JSON.stringify({ n: 6 }), 1),
      },
      { op: "post /api/triggers/{name}", status: 404, path: `${T}/nope`, user: "none", init: event("{}") },
      { op: "post /api/triggers/{name}", status: 422, path: `${T}/hook`, user: "none", init: event("{}") },
      { op: "post /api/triggers/{name}", status: 202, path: `${T}/once`, user: "none", init: event("{}") },
      { op: "post /api/triggers/{name}", status: 429, path: `${T}/once`, user: "none", init: event("[]") },
      {
        op: "post /api/triggers/{name}",
        status: 413,
        path: `${T}/hook`,
        user: "none",
        init: event(JSON.stringify({ pad: "x".repeat(1_100_000) })),
      },
    ];
  };

  it("each documented status of each operation, as the server answers it", async () => {
    for (const c of cases()) await expectConforms(t, c);
    // Every operation that needs credentials answers 401 without them, as documented.
    for (const [path, item] of Object.entries<Json>(doc.paths))
      for (const [method, op] of Object.entries<Json>(item)) {
        if (op.security?.length === 0) continue;
        const concrete = path
          .replace("{id}", String(ids.done))
          .replace("{name}", "typed")
          .replace("{type}", "log")
          .replace("{fileId}", "1");
        await expectConforms(t, {
          op: `${method} ${path}`,
          status: 401,
          path: concrete,
          user: "none",
          init: { method: method.toUpperCase() },
        });
      }
  });

  it("the rest: 403 without a CSRF token, 429 after failed logins, 413 for big bodies and uploads, 503 when unready", async () => {
    const login = await t.json<Json>(undefined, "POST", "/api/auth/login", {
      name: "vera",
      password: PASSWORD,
    });
    const cookie = (login.headers.getSetCookie() ?? []).map((c) => c.split(";")[0]).join("; ");
    const withCookie = { method: "POST", headers: { cookie } };
    await expectConforms(t, {
      op: "post /api/auth/logout",
      status: 403,
      path: "/api/auth/logout",
      user: "none",
      init: withCookie,
    });
    const csrf = { ...withCookie, headers: { ...withCookie.headers, "x-csrf-token": login.body.csrfToken } };
    await expectConforms(t, {
      op: "post /api/auth/logout",
      status: 204,
      path: "/api/auth/logout",
      user: "none",
      init: csrf,
    });
    for (let i = 0; i < 5; i++)
      await t.json(undefined, "POST", "/api/auth/login", { name: "mallory", password: "x" });
    await expectConforms(t, {
      op: "post /api/auth/login",
      status: 429,
      path: "/api/auth/login",
      user: "none",
      init: json({ name: "mallory", password: "x" }),
    });

    const big = {
      method: "POST",
      body: JSON.stringify({ ids: [1], pad: "x".repeat(1_100_000) }),
      headers: { "content-type": "application/json" },
    };
    await expectConforms(t, {
      op: "post /api/auth/login",
      status: 413,
      path: "/api/auth/login",
      user: "none",
      init: big,
    });
    await expectConforms(t, {
      op: "delete /api/system/processes",
      status: 413,
      path: "/api/system/processes",
      init: { ...big, method: "DELETE" },
    });
    await expectConforms(t, {
      op: "post /api/auth/tokens",
      status: 413,
      path: "/api/auth/tokens",
      init: big,
    });

    const small = await startTestServer({}, { dispatcher: false, uploadLimitBytes: 4, ready: () => false });
    try {
      const f = new FormData();
      f.append("properties", JSON.stringify([{ name: "-i", value: "big.txt" }]));
      f.append("file", new Blob(["0123456789"]), "big.txt");
      await expectConforms(small, {
        op: "post /api/system/scripts/{name}/processes",
        status: 413,
        path: "/api/system/scripts/upload/processes",
        init: { method: "POST", body: f },
      });
      await expectConforms(small, { op: "get /readyz", status: 503, path: "/readyz", user: "none" });
    } finally {
      await small.close();
    }
    // Below the disk reserve (diskReserve) an upload is refused before it is stored.
    const full = await startTestServer({ diskReserveBytes: Number.MAX_SAFE_INTEGER }, { dispatcher: false });
    try {
      const f = new FormData();
      f.append("properties", JSON.stringify([{ name: "-i", value: "a.txt" }]));
      f.append("file", new Blob(["0123"]), "a.txt");
      await expectConforms(full, {
        op: "post /api/system/scripts/{name}/processes",
        status: 507,
        path: "/api/system/scripts/upload/processes",
        init: { method: "POST", body: f },
      });
    } finally {
      await full.close();
    }
    // Per-user limits (limits): a second queued process, a second follow stream.
    const limited = await startTestServer(
      { limits: { queuedProcesses: 1, uploadBytes: 1024, logStreams: 1 } },
      { dispatcher: false },
    );
    const abort = new AbortController();
    try {
      const body = JSON.stringify({ properties: [{ name: "-n", value: "1" }] });
      const json = { method: "POST", body, headers: { "content-type": "application/json" } };
      const first = await limited.call(limited.users.op, "POST", "/api/system/scripts/typed/processes", json);
      expect(first.status).toBe(202);
      const id = ((await first.json()) as Json).processId as number;
      await expectConforms(limited, {
        op: "post /api/system/scripts/{name}/processes",
        status: 429,
        path: "/api/system/scripts/typed/processes",
        user: "op",
        init: json,
      });
      const sse = { headers: { accept: "text/event-stream" } };
      const open = await limited.call(limited.users.op, "GET", `/api/system/processes/${id}/output`, {
        ...sse,
        signal: abort.signal,
      });
      expect(open.status).toBe(200);
      await expectConforms(limited, {
        op: "get /api/system/processes/{id}/output",
        status: 429,
        path: `/api/system/processes/${id}/output`,
        user: "op",
        init: sse,
      });
    } finally {
      abort.abort();
      await limited.close();
    }
  });

  it("no documented (operation, status) is left unexercised", () => {
    const all = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      Object.entries<Json>(item).flatMap(([method, op]) =>
        Object.keys(op.responses).map((s) => `${method} ${path} ${s}`),
      ),
    );
    expect(all.filter((k) => !seen.has(k))).toEqual([]);
  });
});

/**
 * Review round 2: what an outside client sees of WorldCat errors and token answers.
 * - The first API's `<code type="http">404</code>` repeats the status; messages and `worldcat check` evidence
 *   said "HTTP 404 404".
 * - The token server documents both `scope` and `scopes`; a `scopes` string alone was ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { parseTokenResponse } from "../src/worldcat/auth/tokens.js";
import { createWorldCatClient, type WorldCatClient } from "../src/worldcat/client.js";
import { WorldCatError } from "../src/worldcat/errors.js";
import { probeAccount } from "../src/worldcat/probe.js";
import { sandboxAccount } from "./fixtures/worldcat/sandbox-account.js";

let sandbox: Sandbox;
let client: WorldCatClient;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 4, corpus: false, rngSeed: 7 });
  const account = await sandboxAccount(sandbox, { name: "review2" });
  client = createWorldCatClient(account, { timeouts: { readMs: 3_000 } });
});
afterAll(async () => {
  client.close();
  await sandbox.close();
});

describe('first API error with <code type="http">', () => {
  it("says the status once in the error message", async () => {
    const err = await client.first.bibs.read(999_999_999).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorldCatError);
    const e = err as WorldCatError;
    expect(e.status).toBe(404);
    expect(e.message).toContain("HTTP 404: ");
    expect(e.message).not.toMatch(/HTTP 404 404/);
  });

  it("says it once in the permission probe's evidence", async () => {
    const report = await probeAccount(client);
    const firstRead = report.results.find((r) => r.operation === "retired Metadata API 1.0: read bibs");
    expect(firstRead?.verdict).toBe("yes");
    expect(firstRead?.evidence).toContain("HTTP 404 (permitted)");
    expect(firstRead?.evidence).not.toMatch(/404 404/);
  });

  it("keeps an application code beside the status", () => {
    const e = new WorldCatError({ status: 409, oclcCode: "WS-409", message: "already set" });
    expect(e.message).toBe("HTTP 409 WS-409: already set");
  });
});

describe("token response scopes", () => {
  const now = Date.UTC(2026, 0, 1);

  it("reads a space-separated `scopes` string when `scope` is absent", () => {
    const t = parseTokenResponse(
      JSON.stringify({
        access_token: "tk_a",
        expires_in: 1199,
        scopes: "WorldCatMetadataAPI context:128807",
      }),
      now,
      60_000,
    );
    expect(t.scopes).toEqual(["WorldCatMetadataAPI", "context:128807"]);
  });

  it("still reads `scope` and list-shaped `scopes`", () => {
    const a = parseTokenResponse(JSON.stringify({ access_token: "tk_b", scope: "A B" }), now, 60_000);
    const b = parseTokenResponse(JSON.stringify({ access_token: "tk_c", scopes: ["A", "B"] }), now, 60_000);
    expect(a.scopes).toEqual(["A", "B"]);
    expect(b.scopes).toEqual(["A", "B"]);
  });
});

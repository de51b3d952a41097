/**
 * Review 2, security: behind a TLS proxy (trustProxy) the per-address login limit counts the client the proxy
 * saw, not the X-Forwarded-For entries the client wrote itself (rotating those must not escape the limit).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { trustProxy: true });
});
afterAll(async () => {
  await t.close();
});

/** A login as a proxy forwards it: the client's own X-Forwarded-For, then the peer the proxy saw. */
function login(name: string, forged: string, client: string) {
  return fetch(`${t.url}/api/auth/login`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-proto": "https",
      "x-forwarded-for": `${forged}, ${client}`,
    },
    body: JSON.stringify({ name, password: "wrong password" }),
  });
}

it("20 failures from one client are refused with 429 however the client rotates its forwarded address", async () => {
  for (let i = 0; i < 20; i++)
    expect((await login(`guess${i}`, `10.0.${i}.1`, "203.0.113.7")).status).toBe(401);
  const refused = await login("guess-next", "10.9.9.9", "203.0.113.7");
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  // another client behind the same proxy is not locked out
  expect((await login("guess-other", "10.9.9.9", "198.51.100.9")).status).toBe(401);
});

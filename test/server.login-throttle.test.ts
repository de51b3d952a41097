import { afterAll, beforeAll, expect, it } from "vitest";
import { createLoginThrottle } from "../src/server/auth/login-throttle.js";
import { PASSWORD, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

function login(name: string, password: string) {
  return fetch(`${t.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password }),
  });
}

it("refuses logins for a name with 429 and Retry-After after 5 failures, even with the right password", async () => {
  const name = t.users.viewer.name;
  for (let i = 0; i < 5; i++) expect((await login(name, "wrong")).status).toBe(401);
  const refused = await login(name, PASSWORD);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(((await refused.json()) as { detail: string }).detail).toMatch(/too many failed logins/);
  // another user is not locked out by it
  expect((await login(t.users.op.name, PASSWORD)).status).toBe(200);
});

it("a successful login clears the name's failures", async () => {
  const name = t.users.op2.name;
  for (let i = 0; i < 4; i++) expect((await login(name, "wrong")).status).toBe(401);
  expect((await login(name, PASSWORD)).status).toBe(200);
  for (let i = 0; i < 4; i++) expect((await login(name, "wrong")).status).toBe(401);
  expect((await login(name, PASSWORD)).status).toBe(200);
});

it("forgets failures once they leave the window, and limits one address across names", () => {
  let now = 0;
  const throttle = createLoginThrottle({ maxFailures: 2, windowMs: 1000, now: () => now });
  expect(throttle.begin("a", "10.0.0.1").retryAfterMs).toBe(0);
  expect(throttle.begin("A", "10.0.0.1").retryAfterMs).toBe(0);
  expect(throttle.begin("a", "10.0.0.2").retryAfterMs).toBe(1000);
  now = 1001;
  expect(throttle.begin("a", "10.0.0.2").retryAfterMs).toBe(0);
  for (const n of ["b", "c", "d", "e", "f", "g", "h", "i"]) throttle.begin(n, "10.0.0.9");
  expect(throttle.begin("zed", "10.0.0.9").retryAfterMs).toBeGreaterThan(0);
  expect(throttle.begin("zed", "10.0.0.8").retryAfterMs).toBe(0);
});

it("counts an attempt when it begins, so attempts not yet answered already count", () => {
  const throttle = createLoginThrottle({ maxFailures: 3, windowMs: 1000, now: () => 0 });
  const open = [1, 2, 3].map(() => throttle.begin("x", "10.0.0.1"));
  expect(open.map((a) => a.retryAfterMs)).toEqual([0, 0, 0]);
  expect(throttle.begin("x", "10.0.0.1").retryAfterMs).toBeGreaterThan(0);
  // a right password takes its own attempt back and clears the name
  open[0].succeeded();
  expect(throttle.begin("x", "10.0.0.1").retryAfterMs).toBe(0);
});

it("successful logins do not use up the address's allowance", () => {
  const throttle = createLoginThrottle({ maxFailures: 1, windowMs: 1000, now: () => 0 });
  for (let i = 0; i < 10; i++) {
    const a = throttle.begin(`user${i}`, "10.0.0.1");
    expect(a.retryAfterMs).toBe(0);
    a.succeeded();
  }
});

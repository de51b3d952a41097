/**
 * The login limit holds against guesses sent in parallel: an attempt is counted before the (slow) password
 * check, so the 6th guess for a name, or the 21st from an address, is refused even while the first are still
 * being checked. Behind a trusted proxy, so each test is its own client address.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { PASSWORD, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { trustProxy: true });
});
afterAll(() => t.close());

function login(name: string, password: string, client: string) {
  return fetch(`${t.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": client },
    body: JSON.stringify({ name, password }),
  });
}

it("40 parallel guesses for one name (one of them right): only 5 reach the password check", async () => {
  const name = t.users.viewer.name;
  const guesses = Array.from({ length: 40 }, (_, i) =>
    login(name, i === 20 ? PASSWORD : `wrong-${i}`, `203.0.113.${i + 1}`),
  );
  const statuses = (await Promise.all(guesses)).map((r) => r.status);
  expect(statuses.filter((s) => s !== 429)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(35);
});

it("100 parallel guesses from one address: only 20 reach the password check", async () => {
  const guesses = Array.from({ length: 100 }, (_, i) => login(`someone-${i}`, "wrong", "198.51.100.7"));
  const statuses = (await Promise.all(guesses)).map((r) => r.status);
  expect(statuses.filter((s) => s === 401)).toHaveLength(20);
  expect(statuses.filter((s) => s === 429)).toHaveLength(80);
});

it("right passwords from one address do not use up its allowance", async () => {
  for (let i = 0; i < 25; i++)
    expect((await login(t.users.op.name, PASSWORD, "192.0.2.50")).status).toBe(200);
  expect((await login(t.users.op.name, "wrong", "192.0.2.50")).status).toBe(401);
});

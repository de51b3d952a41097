import { afterEach, expect, it } from "vitest";
import { parseAccount } from "../src/worldcat/accounts.js";
import { createWorldCatClient } from "../src/worldcat/client.js";
import { AccountConfigError, WorldCatNetworkError } from "../src/worldcat/errors.js";
import { startTestServer, type TestServer } from "./fixtures/worldcat/server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it("an account's readTimeout bounds how long a call waits for an answer", async () => {
  server = await startTestServer((req) =>
    req.url.startsWith("/token")
      ? { body: JSON.stringify({ access_token: "tk", expires_in: 1199 }) }
      : { hang: true },
  );
  const account = await parseAccount(
    "slow",
    { key: "k", secret: "env:S", registryId: "1", symbol: "X", sandboxUrl: server.url, readTimeout: "300ms" },
    { S: "s" },
  );
  expect(account.timeouts).toEqual({ connectMs: undefined, readMs: 300 });
  const client = createWorldCatClient(account, { retry: { maxAttempts: 1 } });
  const started = Date.now();
  const err = await client.bibs.read("12345").catch((e: unknown) => e);
  client.close();
  expect(err).toBeInstanceOf(WorldCatNetworkError);
  expect((err as WorldCatNetworkError).networkCode).toBe("READ_TIMEOUT");
  // far below the 60 s default: the account's setting was used
  expect(Date.now() - started).toBeLessThan(20_000);
});

it("refuses a timeout that is not a duration, naming the account and key", async () => {
  await expect(
    parseAccount("slow", { key: "k", secret: "env:S", connectTimeout: "soon" }, { S: "s" }),
  ).rejects.toThrow(AccountConfigError);
  await expect(
    parseAccount("slow", { key: "k", secret: "env:S", connectTimeout: "soon" }, { S: "s" }),
  ).rejects.toThrow(/slow.*connectTimeout.*expected a duration/);
});

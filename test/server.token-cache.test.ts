/**
 * Token verification is remembered for a short time (no database lookup per request): a removal in this
 * process ends it at once, one made by another process (the CLI) within TOKEN_CACHE_MS.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUserDirectory, TOKEN_CACHE_MS } from "../src/server/auth/users.js";
import { openStore } from "../src/store/index.js";
import type { Store } from "../src/store/store.js";

let dir: string;
let store: Store;
let clock = Date.parse("2026-01-01T00:00:00Z");
const now = () => clock;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nightshift-token-cache-"));
  store = await openStore(dir);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe("token verification cache", () => {
  it("a user removed through the same directory loses access at once", async () => {
    const users = createUserDirectory(store, now);
    await users.add({ name: "ana", role: "operator" });
    const token = await users.issueToken("ana");
    expect((await users.byToken(token))?.name).toBe("ana");
    await users.remove("ana");
    expect(await users.byToken(token)).toBeUndefined();
  });

  it("a removal by another process is seen once the cached verification expires", async () => {
    const server = createUserDirectory(store, now);
    const otherStore = await openStore(dir); // `nightshift user remove` in another process: its own store
    const cli = createUserDirectory(otherStore, now);
    await server.add({ name: "ben", role: "viewer" });
    const token = await server.issueToken("ben");
    expect((await server.byToken(token))?.name).toBe("ben");
    await cli.remove("ben");
    expect((await server.byToken(token))?.name).toBe("ben"); // still believed, for a short time
    clock += TOKEN_CACHE_MS;
    expect(await server.byToken(token)).toBeUndefined();
    await otherStore.close();
  });

  it("a removal through another directory of the same store is seen at once", async () => {
    const server = createUserDirectory(store, now);
    const admin = createUserDirectory(store, now);
    await server.add({ name: "eve", role: "viewer" });
    const token = await server.issueToken("eve");
    expect((await server.byToken(token))?.name).toBe("eve");
    await admin.remove("eve");
    expect(await server.byToken(token)).toBeUndefined();
  });

  it("forgetTokens() makes the next request ask the database", async () => {
    const server = createUserDirectory(store, now);
    const otherStore = await openStore(dir);
    const cli = createUserDirectory(otherStore, now);
    await server.add({ name: "cy", role: "viewer" });
    const token = await server.issueToken("cy");
    await server.byToken(token);
    await cli.remove("cy");
    server.forgetTokens();
    expect(await server.byToken(token)).toBeUndefined();
    await otherStore.close();
  });

  it("an unknown token is never remembered as valid", async () => {
    const users = createUserDirectory(store, now);
    expect(await users.byToken("nst_not-a-token")).toBeUndefined();
    await users.add({ name: "di", role: "viewer" });
    const token = await users.issueToken("di");
    expect((await users.byToken(token))?.name).toBe("di");
  });
});

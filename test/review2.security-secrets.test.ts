/**
 * Review 2, security: the first admin's credentials file is 0600 even when an old one was left behind (or a
 * symlink planted), and inline WorldCat secrets are found without reading or echoing them.
 */
import { chmod, lstat, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureInitialAdmin, INITIAL_ADMIN_FILE } from "../src/server/auth/initial-admin.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { openStore } from "../src/store/index.js";
import type { Store } from "../src/store/store.js";
import { inlineSecretProblem } from "../src/worldcat/accounts.js";

describe("the first admin's credentials file", () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nightshift-sec-"));
    store = await openStore(dir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is 0600 even when a world-readable file of an earlier install is in the way", async () => {
    const file = join(dir, INITIAL_ADMIN_FILE);
    await writeFile(file, "old credentials\n");
    await chmod(file, 0o644);
    const admin = await ensureInitialAdmin(createUserDirectory(store), dir);
    expect(admin?.file).toBe(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, "utf8")).toContain(`token: ${admin!.token}`);
  });

  it("replaces a symlink instead of writing the credentials through it", async () => {
    const elsewhere = join(dir, "elsewhere.txt");
    await writeFile(elsewhere, "not yours\n");
    await chmod(elsewhere, 0o644);
    const file = join(dir, INITIAL_ADMIN_FILE);
    await symlink(elsewhere, file);
    await ensureInitialAdmin(createUserDirectory(store), dir);
    expect((await lstat(file)).isSymbolicLink()).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(elsewhere, "utf8")).toBe("not yours\n");
  });
});

describe("inline WorldCat secrets in the config", () => {
  it("are named by account and key, and the value is never echoed", () => {
    const problem = inlineSecretProblem({
      good: { key: "K", secret: "env:GOOD_SECRET" },
      alsoGood: { key: "env:K", secret: "file:/etc/nightshift/secret" },
      bad: { key: "K", secret: "Inl1neSecretValue" },
    });
    expect(problem?.account).toBe("bad");
    expect(problem?.key).toBe("secret");
    expect(problem?.message).toBe(
      "account 'bad': secret: inline secrets are not allowed; store it in an environment variable or a file and write env:NAME or file:PATH",
    );
    expect(`${problem?.message} ${problem?.stack}`).not.toContain("Inl1neSecretValue");
  });

  it("a number or list given as the secret is refused too; references and absent secrets pass", () => {
    expect(inlineSecretProblem({ n: { secret: 12345678 } })?.account).toBe("n");
    expect(inlineSecretProblem({ l: { secret: ["a"] } })?.account).toBe("l");
    expect(inlineSecretProblem({ a: { secret: "env:X" }, b: { secret: "file:x" }, c: {} })).toBeUndefined();
  });
});

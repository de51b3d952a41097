/** `nightshift user add|list|remove|token`, and the first `serve` creating an admin, as real child processes. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "nightshift.js");

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nightshift-cli-user-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NIGHTSHIFT_FROM_SOURCE: "1", NIGHTSHIFT_DATA_DIR: dir, NIGHTSHIFT_PORT: "0" },
  });
}

function run(args: string[], stdin?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = start(["user", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => {
      stdout += c;
    });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(stdin);
  });
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

describe("nightshift user", () => {
  it("add --token prints the token on its last line; the password comes from stdin", async () => {
    const r = await run(
      ["add", "--name", "ana", "--role", "operator", "--password-stdin", "--token"],
      "s3cret-pass\n",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("user ana added (role operator");
    expect(lastLine(r.stdout)).toMatch(/^nst_[A-Za-z0-9_-]{43}$/);
    expect(r.stdout).not.toContain("s3cret-pass");
  });

  it("list shows users with roles and token counts (and --json)", async () => {
    await run(["add", "--name", "bo", "--role", "viewer"]);
    const r = await run(["list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ana\s+operator\s+tokens: 1\s+password: yes/m);
    expect(r.stdout).toMatch(/^bo\s+viewer\s+tokens: 0\s+password: no/m);
    const json = JSON.parse((await run(["list", "--json"])).stdout) as { name: string; role: string }[];
    expect(json.map((u) => [u.name, u.role])).toEqual([
      ["ana", "operator"],
      ["bo", "viewer"],
    ]);
  });

  it("token prints a new token on the last line", async () => {
    const r = await run(["token", "--name", "bo"]);
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toMatch(/^nst_/);
    expect((await run(["list"])).stdout).toMatch(/^bo\s+viewer\s+tokens: 1/m);
  });

  it("refuses bad input with a clear message and a non-zero exit", async () => {
    const cases: [string[], string, number][] = [
      [["add", "--name", "ana", "--role", "admin"], "a user named 'ana' already exists", 1],
      [
        ["add", "--name", "cy", "--role", "king"],
        "role must be one of admin, operator, viewer; got 'king'",
        1,
      ],
      [["add", "--name", "../x", "--role", "viewer"], "user name '../x' must be", 1],
      [["add", "--role", "viewer"], "--name is needed", 2],
      [["add", "--name", "cy"], "--role is needed", 2],
      [["token", "--name", "nobody"], "no user named 'nobody'", 1],
      [["remove", "--name", "nobody"], "no user named 'nobody'", 1],
      [["fly"], "unknown action 'fly'", 2],
    ];
    // None of these changes anything, so they run at once.
    const [short, ...results] = await Promise.all([
      run(["add", "--name", "cy", "--role", "viewer", "--password-stdin"], "short\n"),
      ...cases.map(([args]) => run(args)),
    ]);
    cases.forEach(([args, message, code], i) => {
      expect(results[i].stderr, args.join(" ")).toContain(message);
      expect(results[i].code, args.join(" ")).toBe(code);
    });
    expect(short.stderr).toContain("at least 8 characters");
  });

  it("remove deletes the user", async () => {
    const r = await run(["remove", "--name", "bo"]);
    expect(r.code).toBe(0);
    expect((await run(["list"])).stdout).not.toMatch(/^bo\s/m);
  });
});

describe("nightshift serve on a data directory without users", () => {
  it("creates admin, prints the credentials once, writes them 0600, and the token works", async () => {
    const parent = await mkdtemp(join(tmpdir(), "nightshift-first-serve-"));
    const fresh = join(parent, "data"); // serve creates it
    const child = spawn(process.execPath, [BIN, "serve", "--data-dir", fresh, "--port", "0"], {
      cwd: ROOT,
      env: { ...process.env, NIGHTSHIFT_FROM_SOURCE: "1" },
    });
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (c: Buffer) => {
          out += c;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const token = /token:\s+(nst_\S+)/.exec(out)?.[1];
      const password = /password:\s+(\S+)/.exec(out)?.[1];
      expect(token).toBeDefined();
      const file = join(fresh, "initial-admin.txt");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(fresh)).mode & 0o777).toBe(0o700); // the data directory is private too
      expect(await readFile(file, "utf8")).toContain(`password: ${password}`);
      const me = await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect((await me.json()) as { name: string; role: string }).toMatchObject({
        name: "admin",
        role: "admin",
      });
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      await rm(parent, { recursive: true, force: true });
    }
  });
});

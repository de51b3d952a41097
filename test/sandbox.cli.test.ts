import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/nightshift.js", import.meta.url));
const ACCOUNTS = fileURLToPath(new URL("./fixtures/sandbox/accounts.json", import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGTERM");
});

/** Starts the CLI and resolves with its stdout once it printed "listening on", the accounts and "ready". */
function startCli(args: string[]): Promise<{ child: ChildProcess; out: string; url: string }> {
  const child = spawn(process.execPath, [BIN, "sandbox", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m && /^ready/m.test(out)) resolve({ child, out, url: m[1] });
    });
    child.stderr?.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("exit", (code) => reject(new Error(`sandbox exited ${code}: ${err}`)));
  });
}

describe("nightshift sandbox", () => {
  it("prints where it listens and demo accounts (with secrets), and serves tokens for them", async () => {
    const { out, url } = await startCli(["--port", "0", "--seed", "100"]);
    expect(out).toContain("SANDBOX");
    const key = /key:\s+(\S+)/.exec(out)![1];
    const secret = /secret:\s+(\S+)/.exec(out)![1];
    const res = await fetch(`${url}/token?grant_type=client_credentials&scope=WorldCatMetadataAPI`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}` },
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const bib = await fetch(`${url}/worldcat/manage/bibs/100000050`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(bib.status).toBe(200);
  });

  it("uses an accounts file and does not print its secrets; control endpoints when enabled", async () => {
    const { out, url, child } = await startCli([
      "--accounts",
      ACCOUNTS,
      "--enable-control",
      "--error-rate",
      "503=0",
    ]);
    expect(out).toContain("fixture-key-1");
    expect(out).not.toContain("fixture-secret-1");
    expect((await fetch(`${url}/_sandbox/state`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("exits 2 with the usage on a bad option", async () => {
    const child = spawn(process.execPath, [BIN, "sandbox", "--rate-limit", "fast"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let err = "";
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(2);
    expect(err).toContain("not a rate");
    expect(err).toContain("Usage: nightshift sandbox");
  });
});

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Dispatcher } from "../src/engine/dispatcher.js";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv, parseProperties } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

let dir: { dir: string; cleanup(): Promise<void> };
let engine: Engine;
let dispatcher: Dispatcher;
beforeEach(async () => {
  dir = await tempDir();
  engine = await testEngine(dir.dir);
  dispatcher = engine.createDispatcher();
  await dispatcher.start();
});
afterEach(async () => {
  await dispatcher.stop(50);
  await engine.close();
  await dir.cleanup();
});

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

it("stores uploads and outputs under generated names, with size and SHA-256", async () => {
  const files = engine.scripts.require("files");
  const p = await engine.service.createProcess({
    script: "files",
    parameters: parseProperties(files, [{ name: "-i", value: "../../etc/passwd" }]),
    startedBy: { source: "rest", userId: "u1" },
    uploads: [{ name: "../../etc/passwd", buffer: Buffer.from("abc\n") }],
  });
  await waitForStatus(engine, p.id, "COMPLETED");
  const all = await engine.service.listFiles(p.id);
  expect(all.map((f) => [f.type, f.name, f.size, f.sha256])).toEqual([
    ["inputfile", "../../etc/passwd", 4, sha("abc\n")],
    ["report", "../../upper.txt", 4, sha("ABC\n")],
    ["log", `files-${p.id}.log`, expect.any(Number), expect.any(String)],
  ]);
  for (const f of all.slice(0, 2))
    expect(f.path).toMatch(new RegExp(`^processes/${p.id}/files/[0-9a-f]{18}(\\.txt)?$`));
  const opened = await engine.service.openFile(p.id, all[1].id);
  expect(await readFile(opened.path, "utf8")).toBe("ABC\n");
  expect(opened.path).toBe(join(dir.dir, all[1].path));
});

it("refuses a file parameter naming a file that was not uploaded, creating nothing", async () => {
  const files = engine.scripts.require("files");
  await expect(
    engine.service.createProcess({
      script: "files",
      parameters: parseArgv(files, ["-i", "in.mrc"]),
      startedBy: { source: "rest" },
    }),
  ).rejects.toThrow("file 'in.mrc' is named by a parameter but was not uploaded");
  expect((await engine.service.listProcesses()).total).toBe(0);
});

it("the log is readable and followable while the process runs", async () => {
  const p = await engine.service.createProcess({
    script: "chatty",
    parameters: parseArgv(engine.scripts.require("chatty"), ["--lines", "3"]),
    startedBy: { source: "cli" },
  });
  const lines: string[] = [];
  const following = (async () => {
    for await (const line of engine.service.followLog(p.id, { pollMs: 10 })) {
      lines.push(line);
      if (line.endsWith("INFO line 3")) {
        const running = await engine.service.getProcess(p.id);
        expect(running?.status).toBe("RUNNING");
        const chunk = await engine.service.readLog(p.id);
        expect(chunk.text.split("\n").filter(Boolean)).toHaveLength(4);
        await engine.service.cancelProcess(p.id);
      }
    }
  })();
  await following;
  expect(lines.map((l) => l.replace(/^\S+ /, ""))).toEqual([
    expect.stringMatching(/^INFO process \d+ \(chatty\) started by cli/),
    "INFO line 1",
    "INFO line 2",
    "INFO line 3",
    expect.stringMatching(/^ERROR CANCELLED: cancelled while running \(after [\d.]+ s\)$/),
  ]);
  const chunk = await engine.service.readLog(p.id, { fromByte: 10_000 });
  expect(chunk.text).toBe("");
});

it("secret values never reach the log, the parameters or the database file", async () => {
  const echo = engine.scripts.require("echo");
  const p = await engine.service.createProcess({
    script: "echo",
    parameters: parseArgv(echo, ["-m", "hello", "--password", "hunter2-secret"]),
    startedBy: { source: "cli" },
  });
  expect(p.parameters).toEqual([
    { name: "--message", value: "hello" },
    { name: "--password", value: "********" },
  ]);
  const done = await waitForStatus(engine, p.id, "COMPLETED");
  expect(done.result).toEqual({ message: "hello", passwordLength: 14 });
  const log = (await engine.service.readLog(p.id)).text;
  expect(log).toContain("WARN the password is ********, do not tell");
  expect(log).not.toContain("hunter2");
  await dispatcher.stop(50);
  await engine.close();
  for (const file of ["nightshift.db", "nightshift.db-wal"]) {
    const bytes = await readFile(join(dir.dir, file)).catch(() => Buffer.alloc(0));
    expect(bytes.includes("hunter2")).toBe(false);
  }
  engine = await testEngine(dir.dir);
  await expect(engine.service.rerun(p.id, { source: "cli" })).rejects.toThrow(
    /secret parameters \(password\)/,
  );
});

it("rerun starts a new process with the same parameters and input files", async () => {
  const files = engine.scripts.require("files");
  const p = await engine.service.createProcess({
    script: "files",
    parameters: parseArgv(files, ["-i", "a.txt"]),
    startedBy: { source: "cli" },
    uploads: [{ name: "a.txt", buffer: Buffer.from("x") }],
  });
  await waitForStatus(engine, p.id, "COMPLETED");
  const again = await engine.service.rerun(p.id, { source: "rest", userId: "u2" });
  expect(again.id).not.toBe(p.id);
  expect(again.parameters).toEqual(p.parameters);
  expect(again.userId).toBe("u2");
  expect((await waitForStatus(engine, again.id, "COMPLETED")).result).toEqual({ bytes: 1 });
});

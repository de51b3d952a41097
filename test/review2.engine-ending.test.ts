/**
 * Review 2 of how a process ends: its result summary keeps no secret, whatever a script throws the exit
 * message says what, a huge log line stays one readable line, and a long log is followed in steps.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { logPathRel } from "../src/engine/paths.js";
import { MAX_LOG_LINE } from "../src/engine/process-log.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const password = {
  name: "-p",
  nameLong: "--password",
  type: "string",
  secret: true,
  description: "a secret",
} as const;

const thrown: Record<string, () => unknown> = {
  undefined: () => undefined,
  symbol: () => Symbol("oops"),
  null: () => null,
  "empty Error": () => new Error(""),
  "empty string": () => "",
  "cyclic object": () => {
    const o: Record<string, unknown> = Object.create(null);
    o.self = o;
    return o;
  },
  object: () => ({ code: 42 }),
};

const scripts = createRegistry([
  defineScript({
    name: "summary-secret",
    description: "Puts its secret in its result summary",
    parameters: [password],
    async run(ctx) {
      const p = String(ctx.params.password);
      return { summary: { note: `logged in with ${p}`, [`key-${p}`]: [p], pin: Number(p) || 0 } };
    },
  }),
  defineScript({
    name: "thrower",
    description: "Throws what it is told",
    parameters: [{ name: "-k", nameLong: "--kind", type: "string", description: "what to throw" }],
    async run(ctx) {
      throw thrown[String(ctx.params.kind)]();
    },
  }),
  defineScript({
    name: "long-liner",
    description: "Logs a huge line, a line with a lone CR, and a secret across the cut",
    parameters: [password],
    async run(ctx) {
      ctx.log.info("x".repeat(3 * MAX_LOG_LINE));
      ctx.log.info(`${"y".repeat(MAX_LOG_LINE - 3)}${ctx.params.password}`);
      ctx.log.info("first\rsecond");
    },
  }),
]);

async function setup(): Promise<{ engine: Engine; dir: string }> {
  const { dir, cleanup } = await tempDir();
  const engine = await testEngine(dir, {}, { scripts });
  await engine.createDispatcher().start();
  cleanups.push(cleanup, () => engine.close());
  return { engine, dir };
}

async function runToEnd(engine: Engine, script: string, argv: string[]) {
  const p = await engine.service.createProcess({
    script,
    parameters: parseArgv(scripts.require(script), argv),
    startedBy: { source: "cli" },
  });
  return waitForStatus(engine, p.id, "COMPLETED", "FAILED", "CANCELLED");
}

it("masks secret values in the result summary: strings, keys, numbers and JSON-escaped secrets", async () => {
  const { engine } = await setup();
  for (const secret of ["hunter2", 'hu"n\\ter2', "424242"]) {
    const p = await runToEnd(engine, "summary-secret", ["-p", secret]);
    expect(p.status).toBe("COMPLETED");
    expect(JSON.stringify(p.result)).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(p.result).toMatchObject({ note: "logged in with ********", "key-********": ["********"] });
    const listed = await engine.service.listProcesses({ script: "summary-secret" });
    expect(JSON.stringify(listed.items)).not.toContain(JSON.stringify(secret).slice(1, -1));
  }
  const numeric = await runToEnd(engine, "summary-secret", ["-p", "424242"]);
  expect((numeric.result as { pin: unknown }).pin).toBe("********");
});

it.each([
  ["undefined", "the script threw undefined, not an Error"],
  ["symbol", "the script threw Symbol(oops), not an Error"],
  ["null", "the script threw null, not an Error"],
  ["empty Error", "Error without a message"],
  ["empty string", "the script threw an empty string"],
  ["cyclic object", "the script threw [object Object], not an Error"],
  ["object", 'the script threw {"code":42}, not an Error'],
])("a script throwing %s ends FAILED saying so", async (kind, message) => {
  const { engine, dir } = await setup();
  const p = await runToEnd(engine, "thrower", ["-k", kind]);
  expect(p).toMatchObject({ status: "FAILED", exitMessage: message });
  const log = await readFile(join(dir, logPathRel(p.id)), "utf8");
  expect(log).toContain(` ERROR FAILED: ${message} (after `);
  expect(log).not.toContain("engine error");
  expect(log).not.toContain("at coerceError");
});

it("cuts a huge log line, splits on a lone CR, and masks a secret across the cut", async () => {
  const { engine, dir } = await setup();
  const lines: string[] = [];
  engine.events.on("process:log", (l) => void lines.push(l.message));
  const p = await runToEnd(engine, "long-liner", ["-p", "s3cr3t-value"]);
  expect(p.status).toBe("COMPLETED");
  const log = (await readFile(join(dir, logPathRel(p.id)), "utf8")).split("\n");
  const line = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (DEBUG|INFO|WARN|ERROR) /;
  expect(log.filter((l) => l !== "").every((l) => line.test(l))).toBe(true);
  expect(Math.max(...log.map((l) => l.length))).toBeLessThan(MAX_LOG_LINE + 100);
  expect(log.find((l) => l.includes("xxx"))).toContain(
    `[... ${2 * MAX_LOG_LINE} more characters not logged]`,
  );
  expect(log.join("\n")).not.toContain("s3c");
  expect(log.some((l) => l.endsWith(" INFO first")) && log.some((l) => l.endsWith(" INFO second"))).toBe(
    true,
  );
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(MAX_LOG_LINE + 100);
});

it("follows a log of many megabytes in steps, every line whole and in order", async () => {
  const { engine, dir } = await setup();
  const p = await runToEnd(engine, "thrower", ["-k", "null"]);
  const abs = join(dir, logPathRel(p.id));
  mkdirSync(join(abs, ".."), { recursive: true });
  const before = (await readFile(abs, "utf8")).split("\n").filter(Boolean).length;
  const n = 40_000;
  const body = Array.from(
    { length: n },
    (_, i) => `2026-01-01T00:00:00.000Z INFO line ${i} ${"z".repeat(80)}\n`,
  );
  appendFileSync(abs, body.join(""));
  let count = 0;
  let last = -1;
  for await (const l of engine.service.followLog(p.id, { pollMs: 5 })) {
    count++;
    const m = /INFO line (\d+) /.exec(l);
    if (m) {
      expect(Number(m[1])).toBe(last + 1);
      last = Number(m[1]);
    }
  }
  expect(count).toBe(before + n);
  expect(last).toBe(n - 1);
});

/**
 * The disk reserve (issue 16), on the real disk: below `diskReserve` free bytes, new uploads answer 507 and
 * the CLI refuses, a running process ends FAILED "disk full" instead of writing on, /readyz says why, and the
 * process cleaner (which frees space) still runs.
 */
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { freeBytesOf } from "../src/engine/disk.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";
import { builtInScripts } from "../src/scripts/index.js";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

const TB = 2 ** 40;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("below the reserve: an upload answers 507 before anything is stored, and /readyz says why", async () => {
  const t: TestServer = await startTestServer({ diskReserveBytes: freeBytesOf(tmpdir()) + TB });
  cleanups.push(() => t.close());
  const form = new FormData();
  form.append("properties", JSON.stringify([{ name: "-i", value: "a.txt" }]));
  form.append("file", new Blob(["hello"]), "a.txt");
  const res = await t.call(t.users.admin, "POST", "/api/system/scripts/upload/processes", { body: form });
  expect(res.status).toBe(507);
  const problem = (await res.json()) as Json;
  expect(problem.title).toBe("Insufficient Storage");
  expect(problem.detail).toMatch(
    /^disk full: .* free on the disk of .*, below the reserve of .* \(diskReserve\); a new upload process refused$/,
  );
  expect(await t.processCount()).toBe(0);

  const ready = await t.call(undefined, "GET", "/readyz");
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as Json).detail).toMatch(
    /^disk full: .* below the reserve of .* \(diskReserve\)$/,
  );
});

it("the CLI refuses to start a process below the reserve, with a clear message and no process", {
  timeout: 120_000,
}, async () => {
  const tmp = await tempDir();
  cleanups.push(() => tmp.cleanup());
  const config = join(tmp.dir, "c.yaml");
  await writeFile(config, `diskReserve: ${freeBytesOf(tmp.dir) + TB}\n`);
  await writeFile(join(tmp.dir, "in.mrc"), "");
  const data = join(tmp.dir, "data");
  const r = await cli([
    "run",
    "marc-validate",
    "--input",
    join(tmp.dir, "in.mrc"),
    "--data-dir",
    data,
    "--config",
    config,
  ]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /disk full: .* below the reserve of .* \(diskReserve\); the upload for a new marc-validate process refused/,
  );
  const list = await cli(["processes", "--json", "--data-dir", data]);
  expect(JSON.parse(list.stdout).items ?? JSON.parse(list.stdout)).toHaveLength(0);
});

it("a running process that brings the disk below the reserve ends FAILED 'disk full' and stops writing", async () => {
  const tmp = await tempDir();
  cleanups.push(() => tmp.cleanup());
  let written = 0;
  const filler = defineScript({
    name: "fill-disk",
    description: "writes 1 MiB at a time until it is stopped (at most 2 GiB)",
    parameters: [],
    async run(ctx) {
      const out = createWriteStream(ctx.output("big.bin"));
      const chunk = Buffer.alloc(1 << 20, 7);
      try {
        while (written < 2 * 1024) {
          ctx.signal.throwIfAborted();
          await new Promise<void>((resolve, reject) =>
            out.write(chunk, (err) => (err ? reject(err) : resolve())),
          );
          written++;
          await new Promise((r) => setTimeout(r, 2));
        }
      } finally {
        await new Promise((r) => out.end(r));
      }
    },
  });
  // 64 MiB of room above the reserve: the filler crosses it within a fraction of its run.
  const reserve = freeBytesOf(tmp.dir) - 64 * 2 ** 20;
  const engine = await testEngine(
    join(tmp.dir, "data"),
    { diskReserveBytes: reserve },
    { scripts: createRegistry([...builtInScripts, filler]) },
  );
  const dispatcher = engine.createDispatcher({ concurrency: 1 });
  cleanups.push(async () => {
    await dispatcher.stop(1000);
    await engine.close();
  });
  await dispatcher.start();
  const p = await engine.service.createProcess({
    script: "fill-disk",
    parameters: parseArgv(filler, []),
    startedBy: { source: "cli" },
  });
  const ended = await waitForStatus(engine, p.id, "COMPLETED", "FAILED", "CANCELLED");
  expect(ended.status).toBe("FAILED");
  expect(ended.exitMessage).toMatch(
    /^disk full: .* free on the disk of .*, below the reserve of .* \(diskReserve\)$/,
  );
  expect(written).toBeLessThan(2 * 1024);
  expect((await engine.service.readLog(p.id)).text).toContain("disk full");
}, 60_000);

it("below the reserve the process cleaner, which frees space, is still created and runs", {
  timeout: 90_000,
}, async () => {
  const tmp = await tempDir();
  cleanups.push(() => tmp.cleanup());
  const engine = await testEngine(join(tmp.dir, "data"), { diskReserveBytes: freeBytesOf(tmp.dir) + TB });
  const dispatcher = engine.createDispatcher({ concurrency: 1 });
  cleanups.push(async () => {
    await dispatcher.stop(1000);
    await engine.close();
  });
  await dispatcher.start();
  const validate = engine.scripts.require("marc-validate");
  await expect(
    engine.service.createProcess({
      script: "marc-validate",
      parameters: parseArgv(validate, ["--input", "x.mrc"]),
      startedBy: { source: "cli" },
      uploads: [{ name: "x.mrc", path: join(tmp.dir, "x.mrc") }],
    }),
  ).rejects.toThrow(/^disk full: /);
  const cleaner = await engine.service.createProcess({
    script: "process-cleaner",
    parameters: parseArgv(engine.scripts.require("process-cleaner"), ["--dry-run"]),
    startedBy: { source: "cli" },
  });
  const done = await waitFor(
    "the cleaner to end",
    async () => {
      const row = await engine.service.getProcess(cleaner.id);
      return row && row.status !== "SCHEDULED" && row.status !== "RUNNING" ? row : undefined;
    },
    60_000,
  );
  expect(done.status).toBe("COMPLETED");
});

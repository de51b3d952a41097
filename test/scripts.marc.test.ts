import { readFile as readText } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { readFile } from "../src/marc/index.js";
import { marcConvert } from "../src/scripts/marc-convert.js";
import { marcValidate } from "../src/scripts/marc-validate.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

const corpus = join(import.meta.dirname, "fixtures", "scripts-marc");
let engine: Engine | undefined;
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await engine?.close();
  await cleanup?.();
  engine = undefined;
});

async function runScript(script: typeof marcConvert | typeof marcValidate, argv: string[], upload: string) {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  engine = await testEngine(temp.dir);
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const process = await engine.service.createProcess({
    script: script.name,
    parameters: parseArgv(script, argv),
    startedBy: { source: "cli" },
    uploads: [{ name: argv[1], path: join(corpus, upload) }],
  });
  const done = await waitForStatus(engine, process.id, "COMPLETED", "FAILED", "CANCELLED");
  const files = await engine.service.listFiles(process.id);
  const pathOf = async (name: string) => {
    const file = files.find((f) => f.name === name);
    if (!file) throw new Error(`no file ${name} among ${files.map((f) => f.name).join(", ")}`);
    return (await engine!.service.openFile(process.id, file.id)).path;
  };
  await dispatcher.stop();
  return { done, files, pathOf };
}

describe("marc-convert", () => {
  it("converts MARC-8 ISO 2709 to MARCXML in UTF-8", async () => {
    const { done, pathOf } = await runScript(
      marcConvert,
      ["-i", "in.mrc", "--to", "marcxml"],
      "brkrtest.mrc",
    );
    expect(done.status).toBe("COMPLETED");
    const out = await pathOf("records.xml");
    const records = [];
    for await (const item of readFile(out)) records.push(item.record);
    const originals = [];
    for await (const item of readFile(join(corpus, "brkrtest_UTF8.mrc"))) originals.push(item.record);
    expect(records.length).toBe(originals.length);
    expect(records[0].leader[9]).toBe("a");
    expect(records.map((r) => r.title()?.normalize("NFC"))).toEqual(
      originals.map((r) => r.title()?.normalize("NFC")),
    );
    expect(done.result).toMatchObject({ records: originals.length, to: "marcxml" });
  });
});

describe("marc-validate", () => {
  it("writes a CSV report, a summary and the invalid records", async () => {
    const { done, pathOf } = await runScript(
      marcValidate,
      ["-i", "bad.mrc", "--profile", "structure"],
      "pride-and-prejudice-with-many-errors.mrc",
    );
    expect(done.status).toBe("COMPLETED");
    const summary = JSON.parse(await readText(await pathOf("summary.json"), "utf8"));
    expect(summary.records).toBeGreaterThan(0);
    expect(summary.invalid).toBeGreaterThan(0);
    expect(summary.valid + summary.invalid).toBe(summary.records);
    const csv = await readText(await pathOf("report.csv"), "utf8");
    expect(
      csv.startsWith(
        "\ufeffrecord,byte_offset,control_number,severity,code,tag,occurrence,subfield,message\r\n",
      ),
    ).toBe(true);
    expect(csv.split("\r\n").length - 2).toBe(summary.errors + summary.warnings);
    let invalid = 0;
    for await (const _ of readFile(await pathOf("invalid.mrc"))) invalid++;
    expect(invalid).toBe(summary.invalid);
  });
});

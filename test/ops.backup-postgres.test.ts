/**
 * `nightshift backup` on PostgreSQL, both file stores: with `fileStore: directory` the archive holds every
 * process file and log (the database is pg_dump's, and it says so); with `fileStore: postgres` everything is in
 * the database, so it writes no archive and says that pg_dump covers the files too.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { extract } from "tar";
import { expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { parseProperties } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { tempDir, waitForStatus } from "./fixtures/scripts/harness.js";
import { scripts } from "./fixtures/scripts/test-scripts.js";

const pg = usePostgres();
const { cleanups } = pg;

const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** One finished process with an upload, a report and a log, in the given file store. */
async function oneProcess(dataDir: string, url: string, fileStore: "directory" | "postgres") {
  const config = await loadConfig({
    dataDir,
    env: { NIGHTSHIFT_DATABASE_URL: url, NIGHTSHIFT_FILE_STORE: fileStore },
  });
  const engine = await openEngine({ config, scripts: createRegistry(scripts) });
  try {
    const dispatcher = engine.createDispatcher({ pollMs: 5 });
    await dispatcher.start();
    const p = await engine.service.createProcess({
      script: "files",
      parameters: parseProperties(engine.scripts.require("files"), [{ name: "-i", value: "in.txt" }]),
      startedBy: { source: "cli" },
      uploads: [{ name: "in.txt", buffer: Buffer.from("abc\n") }],
    });
    await waitForStatus(engine, p.id, "COMPLETED");
    await dispatcher.stop(50);
    return await engine.service.listFiles(p.id);
  } finally {
    await engine.close();
  }
}

it("fileStore directory on PostgreSQL: the archive holds every process file and log; the database is pg_dump's", async () => {
  const url = await pg.server.database();
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const dataDir = join(dir.dir, "data");
  const files = await oneProcess(dataDir, url, "directory");
  const archive = join(dir.dir, "backup.tar.gz");
  const env = { NIGHTSHIFT_DATABASE_URL: url, NIGHTSHIFT_FILE_STORE: "directory" };
  const run = await cli(["backup", "--to", archive, "--data-dir", dataDir], env);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(
    "the database is PostgreSQL: this archive holds the file store (fileStore: directory, process files and logs) only; back up the database with pg_dump",
  );
  const out = join(dir.dir, "out");
  await mkdir(out);
  await extract({ file: archive, cwd: out });
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  expect(manifest.dialect).toBe("postgres");
  expect(existsSync(join(out, "nightshift.db"))).toBe(false);
  // Every process file the database records is in the archive, byte for byte.
  expect(files.map((f) => f.type).sort()).toEqual(["inputfile", "log", "report"]);
  for (const f of files) {
    const bytes = readFileSync(join(out, f.path));
    expect({ path: f.path, size: bytes.length, sha256: sha(bytes) }).toEqual({
      path: f.path,
      size: f.size,
      sha256: f.sha256,
    });
    expect(manifest.files).toContainEqual(expect.objectContaining({ path: f.path, sha256: f.sha256 }));
  }
}, 60_000);

it("fileStore postgres: no archive; it says pg_dump backs up the database and every file and log", async () => {
  const url = await pg.server.database();
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const dataDir = join(dir.dir, "data");
  const files = await oneProcess(dataDir, url, "postgres");
  expect(files.map((f) => f.type).sort()).toEqual(["inputfile", "log", "report"]);
  const archive = join(dir.dir, "backup.tar.gz");
  // The default file store on PostgreSQL.
  const run = await cli(["backup", "--to", archive, "--data-dir", dataDir], { NIGHTSHIFT_DATABASE_URL: url });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(
    "the database is PostgreSQL and the file store is in it (fileStore: postgres): pg_dump backs up the database and every process file and log; no archive written\n",
  );
  expect(existsSync(archive)).toBe(false);
  const json = await cli(["backup", "--json", "--data-dir", dataDir], { NIGHTSHIFT_DATABASE_URL: url });
  expect(JSON.parse(json.stdout)).toMatchObject({ archive: null, fileStore: "postgres" });
}, 60_000);

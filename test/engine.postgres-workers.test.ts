import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { openStore } from "../src/store/index.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const run = promisify(execFile);
const pg = usePostgres();
const { cleanups } = pg;

it("worker OS processes sharing one database through NIGHTSHIFT_DATABASE_URL run every process exactly once", async () => {
  const url = await pg.server.database();
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const worker = join(import.meta.dirname, "fixtures", "scripts", "store-writer.ts");
  const children = await Promise.all(
    Array.from({ length: 3 }, () =>
      run(process.execPath, ["--import", "tsx", worker, dir.dir, "50"], {
        timeout: 45_000,
        env: { ...process.env, NIGHTSHIFT_DATABASE_URL: url },
      }),
    ),
  );
  const results = children.map(
    (c) => JSON.parse(c.stdout.trim().split("\n").pop() ?? "{}") as { created: number[]; ran: number[] },
  );
  const created = results.flatMap((r) => r.created).sort((a, b) => a - b);
  const ran = results.flatMap((r) => r.ran).sort((a, b) => a - b);
  expect(created).toHaveLength(150);
  expect(ran).toEqual(created);
  expect(results.filter((r) => r.ran.length > 0).length).toBeGreaterThan(1);
  const store = await openStore({ dataDir: dir.dir, databaseUrl: url });
  cleanups.push(() => store.close());
  const rows = await store.db.selectFrom("processes").select(["status"]).execute();
  expect(rows).toHaveLength(150);
  expect(rows.every((r) => r.status === "COMPLETED")).toBe(true);
});

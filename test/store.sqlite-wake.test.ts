/**
 * SQLite's wake files (src/store/sqlite/wake.ts): a notification committed by one store reaches the watchers
 * of the data directory; one in a transaction that rolled back never does, as with PostgreSQL's NOTIFY.
 */
import { afterEach, expect, it } from "vitest";
import { openSqliteStore } from "../src/store/index.js";
import { CHANNELS, notify } from "../src/store/queries/notify.js";
import { createWakeListener } from "../src/store/sqlite/wake.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("a committed notification wakes the watchers of the data directory; a rolled-back one does not", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const store = await openSqliteStore(dir.dir);
  cleanups.push(() => store.close());
  const listener = createWakeListener(dir.dir);
  cleanups.push(() => listener.close());
  const heard: string[] = [];
  const next = (channel: string) =>
    new Promise<void>((resolve) => {
      const off = listener.subscribe(channel, () => {
        heard.push(channel);
        off();
        resolve();
      });
    });
  const cancel = next(CHANNELS.cancel);
  const process = next(CHANNELS.process);

  await expect(
    store.write(async (db) => {
      await notify(db, CHANNELS.cancel, "1");
      throw new Error("rolled back");
    }),
  ).rejects.toThrow("rolled back");
  await store.write((db) => notify(db, CHANNELS.process, "2"));
  await process;
  // Watch events come in order: had the rolled-back one been sent, it would have been heard first.
  expect(heard).toEqual([CHANNELS.process]);

  await store.write((db) => notify(db, CHANNELS.cancel, "3"));
  await cancel;
  expect(heard).toEqual([CHANNELS.process, CHANNELS.cancel]);
});

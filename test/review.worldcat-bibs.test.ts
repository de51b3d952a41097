/**
 * Review of worldcat-bibs replace: a PUT whose final answer is a 429 after an earlier attempt that may have
 * been applied (the transport says so on the error) must be settled by reading, not retried blind by the
 * batch (the retry finds a newer 005 and reports STALE_005 for our own change).
 */
import { expect, it } from "vitest";
import type { BatchItem, HandlerEnv } from "../src/batch/item.js";
import { controlField, createRecord, dataField, type MarcRecord } from "../src/marc/index.js";
import { bibsHandler } from "../src/scripts/worldcat/bibs-plan.js";
import type { WorldCatClient } from "../src/worldcat/client.js";
import { WorldCatError } from "../src/worldcat/errors.js";

const record = (f005: string) =>
  createRecord({
    fields: [
      controlField("001", "123"),
      controlField("005", f005),
      dataField("245", "1", "0", [["a", "A title"]]),
    ],
  });

it("a replace answered 429 after an attempt that may have been applied is settled by reading", async () => {
  const mine = record("20240101000000.0");
  let stored: MarcRecord = mine;
  const wc = {
    bibs: {
      read: async () => stored,
      replace: async (r: MarcRecord) => {
        // The first PUT was applied but its answer was lost; the transport's retries then met 429s.
        stored = r.replaceFields("005", controlField("005", "20250101000000.0"));
        const err = new WorldCatError({ status: 429, message: "Too Many Requests" });
        err.earlierAttemptMayHaveApplied = true;
        throw err;
      },
    },
  } as unknown as WorldCatClient;
  const handle = bibsHandler(wc, { action: "replace", oclcValidate: false });
  const item: BatchItem<MarcRecord, MarcRecord> = {
    position: 1,
    inputId: "123",
    raw: mine,
    oclcNumber: "123",
    payload: mine,
    maybeAttempted: false,
  };
  const env: HandlerEnv = { dryRun: false, signal: new AbortController().signal, throttled: () => undefined };
  const result = await handle(item, env).catch((err: unknown) => ({ thrown: err }));
  expect(result).toMatchObject({ outcome: "ok", action: "replace (already applied)" });
});

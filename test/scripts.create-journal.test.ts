/** What createOnce records in its journal (the unsettled-writes register) in each way a create can end. */
import { expect, it } from "vitest";
import type { HandlerEnv } from "../src/batch/item.js";
import { type CreateOps, createOnce } from "../src/scripts/worldcat/create-once.js";
import { OutcomeUnknownError, WorldCatError } from "../src/worldcat/errors.js";

const unknownCreate = () =>
  new OutcomeUnknownError({ method: "POST", url: "http://x/bibs", message: "READ_TIMEOUT" }, "READ_TIMEOUT");

function journal() {
  const calls: string[] = [];
  return {
    calls,
    begin: async () => void calls.push("begin"),
    settle: async () => void calls.push("settle"),
  };
}

function env(controller = new AbortController()): HandlerEnv {
  return { dryRun: false, signal: controller.signal, throttled: () => undefined };
}

const ops = (
  create: () => Promise<string>,
  find: () => Promise<string | undefined> = async () => undefined,
) => ({ how: "title/author/date", find, create }) satisfies CreateOps;

it("created: recorded before sending, settled after", async () => {
  const j = journal();
  let sent = false;
  const result = await createOnce(
    ops(async () => {
      expect(j.calls).toEqual(["begin"]); // committed before the request goes out
      sent = true;
      return "101";
    }),
    env(),
    { findFirst: false, journal: j },
  );
  expect(sent).toBe(true);
  expect(result).toMatchObject({ outcome: "ok", current: "101" });
  expect(j.calls).toEqual(["begin", "settle"]);
});

it("found when looking first: settled without a create", async () => {
  const j = journal();
  const result = await createOnce(
    ops(
      async () => "never",
      async () => "202",
    ),
    env(),
    {
      findFirst: true,
      journal: j,
    },
  );
  expect(result).toMatchObject({ action: "create (found existing)", current: "202" });
  expect(j.calls).toEqual(["settle"]);
});

it("refused outright: settled (nothing was created); unknown to the end: left unsettled", async () => {
  const refused = journal();
  await expect(
    createOnce(
      ops(async () => {
        throw new WorldCatError({ status: 400, message: "Bad record" });
      }),
      env(),
      { findFirst: false, journal: refused },
    ),
  ).rejects.toThrow("Bad record");
  expect(refused.calls).toEqual(["begin", "settle"]);

  const lost = journal();
  const result = await createOnce(
    ops(async () => {
      throw unknownCreate();
    }),
    env(),
    { findFirst: false, journal: lost },
  );
  expect(result.outcome).toBe("unknown");
  expect(lost.calls).toEqual(["begin"]);
});

it("a 5xx on a create is not a refusal: looked for, and found, it is settled as created", async () => {
  const j = journal();
  let created = false;
  const result = await createOnce(
    ops(
      async () => {
        created = true;
        throw new WorldCatError({ status: 500, message: "Internal Server Error" });
      },
      async () => (created ? "303" : undefined),
    ),
    env(),
    { findFirst: false, journal: j },
  );
  expect(result).toMatchObject({ outcome: "ok", action: "create (found existing)", current: "303" });
  expect(j.calls).toEqual(["begin", "settle"]);
});

it("cancelled mid-create: left unsettled (the request may have been applied)", async () => {
  const j = journal();
  const controller = new AbortController();
  await expect(
    createOnce(
      ops(async () => {
        controller.abort(new Error("cancelled while running"));
        throw controller.signal.reason;
      }),
      env(controller),
      { findFirst: false, journal: j },
    ),
  ).rejects.toThrow("cancelled while running");
  expect(j.calls).toEqual(["begin"]);
});

import { expect, it } from "vitest";
import { ProcessAbortedError } from "../src/engine/errors.js";
import { decideOutcome } from "../src/engine/outcome.js";

const shutdown = new ProcessAbortedError("shutdown", "worker shutting down");

it("a shutdown re-queues a script that stopped early (threw, or returned failed)", () => {
  expect(decideOutcome({ kind: "threw", error: shutdown }, shutdown)).toEqual({ kind: "requeue" });
  expect(
    decideOutcome(
      { kind: "returned", value: { failed: "the batch stopped before the end of its input" } },
      shutdown,
    ),
  ).toEqual({ kind: "requeue" });
});

it("a script that finished its work despite the shutdown is COMPLETED, not run again", () => {
  expect(decideOutcome({ kind: "returned", value: { summary: { n: 3 } } }, shutdown)).toEqual({
    kind: "finish",
    status: "COMPLETED",
    message: null,
    result: { n: 3 },
  });
});

it("cancel and timeout decide whatever the script did", () => {
  const cancel = new ProcessAbortedError("cancel", "cancelled by admin");
  expect(decideOutcome({ kind: "returned", value: undefined }, cancel)).toMatchObject({
    status: "CANCELLED",
  });
  const timeout = new ProcessAbortedError("timeout", "timed out after 5 s");
  expect(decideOutcome({ kind: "returned", value: undefined }, timeout)).toMatchObject({
    status: "FAILED",
    message: "timed out after 5 s",
  });
});

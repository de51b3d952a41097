import { expect, it } from "vitest";
import { createEmitter } from "../src/engine/events.js";

it("a throwing or rejecting listener never breaks the emitter; it is reported as engine:error", async () => {
  const fallback: string[] = [];
  const events = createEmitter((line) => void fallback.push(line));
  const errors: string[] = [];
  const got: number[] = [];
  events.on("engine:error", ({ error, context }) => void errors.push(`${context}: ${error.message}`));
  events.on("process:deleted", () => {
    throw new Error("sync");
  });
  events.on("process:deleted", async () => {
    throw new Error("async");
  });
  const off = events.on("process:deleted", ({ processId }) => void got.push(processId));
  events.emit("process:deleted", { processId: 7 });
  off();
  events.emit("process:deleted", { processId: 8 });
  await new Promise((r) => setImmediate(r));
  expect(got).toEqual([7]);
  expect(errors).toEqual([
    "listener of process:deleted: sync",
    "listener of process:deleted: sync",
    "listener of process:deleted: async",
    "listener of process:deleted: async",
  ]);
  expect(fallback).toEqual([]);
});

it("an engine:error with no listener goes to the fallback line writer", () => {
  const fallback: string[] = [];
  const events = createEmitter((line) => void fallback.push(line));
  events.emit("engine:error", { error: new Error("disk full"), context: "heartbeat" });
  expect(fallback).toEqual(["nightshift: heartbeat: disk full\n"]);
});

/**
 * Issue 17, words: help and messages speak the field's words, not the code's: "the retired Metadata API
 * 1.0" (not "the first API"), "the DSpace-compatible REST API" (not "the DSpace 7 contract"), no
 * "dispatcher" in the command list.
 */
import { expect, it } from "vitest";
import { openApiDocument } from "../src/server/openapi/document.js";
import { cli } from "./fixtures/scripts/cli-harness.js";

const JARGON = /first API|DSpace 7 contract|contract type names|dispatcher|retired API 1\.0/;

it("the command list and the API document use the field's words", async () => {
  const help = await cli(["--help"]);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("run the server: the REST API and web UI, and the queued processes");
  expect(help.stdout).not.toMatch(JARGON);
  const doc = openApiDocument([], "0.0.0");
  expect(doc.info.description).toContain("the DSpace-compatible REST API");
  expect(doc.info.description).not.toMatch(JARGON);
  const check = await cli(["worldcat", "--help"]);
  expect(check.stdout).toContain("-A NAME");
  expect(check.stdout).not.toMatch(JARGON);
}, 60_000);

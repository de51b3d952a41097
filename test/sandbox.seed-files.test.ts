import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import type { Sandbox } from "../src/sandbox/index.js";
import { CORPUS } from "./fixtures/paths.js";
import { bearer, sandbox } from "./fixtures/sandbox/harness.js";

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function search(query: string) {
  const res = await fetch(`${sb!.url}/worldcat/search/brief-bibs?q=${encodeURIComponent(query)}`, {
    headers: await bearer(sb!),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    numberOfRecords: number;
    briefRecords: { oclcNumber: string; title: string }[];
  };
}

it("--seed PATH: records of a MARC file in any format become master records", async () => {
  sb = await sandbox({ corpus: false, seedFiles: [join(CORPUS, "summerland.xml")] });
  const found = await search("ti:summerland");
  expect(found.numberOfRecords).toBe(1);
  expect(found.briefRecords[0].title).toBe("Summerland");
  const read = await fetch(`${sb.url}/worldcat/manage/bibs/${found.briefRecords[0].oclcNumber}`, {
    headers: { ...(await bearer(sb)), accept: "application/marcxml+xml" },
  });
  expect(read.status).toBe(200);
  expect(await read.text()).toContain("Chabon, Michael");
});

it("without seed files and without the corpus, the same search finds nothing", async () => {
  sb = await sandbox({ corpus: false });
  expect((await search("ti:summerland")).numberOfRecords).toBe(0);
});

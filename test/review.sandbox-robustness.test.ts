/** Review: malformed requests get a 4xx in the API's own shape, never a 500. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/sandbox/index.js";
import { bearer, MARCXML, sandbox } from "./fixtures/sandbox/harness.js";

let sb: Sandbox;
let h: Record<string, string>;

beforeAll(async () => {
  sb = await sandbox({ seed: 5 });
  h = await bearer(sb);
});
afterAll(() => sb.close());

describe("review: sandbox robustness", () => {
  it("a malformed percent-escape in an OCLC number path segment is a 400, not a 500", async () => {
    for (const [method, path] of [
      ["GET", "/worldcat/manage/bibs/%ZZ"],
      ["GET", "/worldcat/search/brief-bibs/%E0%A4"],
      ["POST", "/worldcat/manage/institution/holdings/%ZZ/set"],
      ["POST", "/worldcat/manage/institution/holdings/%/unset"],
      ["GET", "/bib/data/%ZZ"],
    ] as const) {
      const res = await fetch(`${sb.url}${path}`, { method, headers: { ...h, "content-type": MARCXML } });
      expect([method, path, res.status]).toEqual([method, path, 400]);
    }
  });

  it("control endpoints refuse bodies of the wrong shape with a 400", async () => {
    const bad: [string, unknown][] = [
      ["/_sandbox/faults", null],
      ["/_sandbox/faults", { faults: [null] }],
      ["/_sandbox/faults", { faults: [{ status: "abc" }] }],
      ["/_sandbox/faults", { faults: [{ status: 99 }] }],
      ["/_sandbox/faults", { faults: [{ times: "x" }] }],
      ["/_sandbox/clock", null],
      ["/_sandbox/clock", [1]],
    ];
    for (const [path, body] of bad) {
      const res = await fetch(`${sb.url}${path}`, { method: "POST", body: JSON.stringify(body) });
      expect([path, body, res.status]).toEqual([path, body, 400]);
    }
    const res = await fetch(`${sb.url}/worldcat/manage/bibs/1`, { headers: h });
    expect(res.status).toBe(404); // nothing was queued by the refused requests
  });
});

/**
 * Section 2b facts the Metadata API test does not pin yet, checked on the sandbox's raw answers: a set answers
 * `"action":"Set Holdings"` (also when already set, with the live message), booleans in upper case
 * (`cascadeDelete=FALSE`), summary holdings found by ISBN as by number, and a brief record that leaves out the
 * keys it has no value for (its catalogingInfo included).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { bearer, json } from "./fixtures/sandbox/harness.js";

let sb: Sandbox;
let h: Record<string, string>;
const W = () => `${sb.url}/worldcat`;
const call = (method: string, path: string) => fetch(`${W()}${path}`, { method, headers: h });

beforeAll(async () => {
  sb = await startSandbox({ seed: 100, rngSeed: 5 });
  h = await bearer(sb);
});
afterAll(() => sb.close());

it("set answers Set Holdings, the second time 'already set'; unset with cascadeDelete=FALSE answers Unset Holdings", async () => {
  const first = await call("POST", "/manage/institution/holdings/100000031/set");
  expect(first.headers.get("content-type")).toBe("application/json;charset=UTF-8");
  expect(await json(first)).toMatchObject({
    controlNumber: "100000031",
    requestedControlNumber: "100000031",
    success: true,
    message: "Holding Updated Successfully",
    action: "Set Holdings",
  });
  expect(await json(await call("POST", "/manage/institution/holdings/100000031/set"))).toMatchObject({
    success: true,
    message: "WorldCat Holding already set.",
    action: "Set Holdings",
  });
  expect(
    await json(await call("POST", "/manage/institution/holdings/100000031/unset?cascadeDelete=FALSE")),
  ).toMatchObject({ success: true, action: "Unset Holdings" });
  expect(sb.state.isHeld(sb.accounts[0].symbol, 100000031)).toBe(false);
});

it("summary holdings by ISBN find the record as its number does; a brief record has no empty keys", async () => {
  const brief = await json(await call("GET", "/search/brief-bibs/100000033"));
  for (const [key, value] of Object.entries(brief)) {
    expect(value, key).not.toEqual([]);
    expect(value, key).not.toBe("");
    expect(value, key).not.toBeNull();
  }
  expect(
    Object.values(brief.catalogingInfo as Record<string, unknown>).every((v) => v !== "" && v != null),
  ).toBe(true);
  const isbn = (brief.isbns as string[])[0];
  const byNumber = await json(await call("GET", "/search/summary-holdings?oclcNumber=100000033"));
  const byIsbn = await json(await call("GET", `/search/summary-holdings?isbn=${isbn}`));
  expect(byIsbn).toEqual(byNumber);
  const bibs = await json(await call("GET", `/search/bibs-summary-holdings?isbn=${isbn}`));
  expect(bibs.numberOfRecords).toBe(1);
  expect(bibs.briefRecords[0].oclcNumber).toBe("100000033");
});

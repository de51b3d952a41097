import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, syntheticIsbn } from "../src/sandbox/index.js";
import { bearer, json, MARCXML, NEW_RECORD, sandbox } from "./fixtures/sandbox/harness.js";

let sb: Sandbox;
let h: Record<string, string>;

beforeAll(async () => {
  sb = await sandbox({ seed: 1_000_000 });
  h = await bearer(sb);
});
afterAll(() => sb.close());

const search = async (q: string, extra = "") => {
  const res = await fetch(`${sb.url}/worldcat/search/brief-bibs?q=${encodeURIComponent(q)}${extra}`, {
    headers: h,
  });
  return { status: res.status, body: await json(res) };
};
const numbers = (body: { briefRecords: { oclcNumber: string }[] }) =>
  body.briefRecords.map((b) => b.oclcNumber);

describe("brief-bibs search", () => {
  it("by title and author together", async () => {
    const { status, body } = await search("ti:pride and prejudice AND au:austen", "&limit=50");
    expect(status).toBe(200);
    expect(body.numberOfRecords).toBeGreaterThan(10);
    expect(body.briefRecords.length).toBe(50);
    expect(body.briefRecords[0].title.toLowerCase()).toContain("pride");
  });

  it("matches whole words, not parts of them, unless truncated with *", async () => {
    const whole = await search("ti:pride and prejudice AND au:austen", "&limit=1");
    const part = await search("ti:prid and prejudic AND au:auste", "&limit=1");
    const truncated = await search("ti:prid* and prejud* AND au:aust*", "&limit=1");
    expect(whole.body.numberOfRecords).toBeGreaterThan(0);
    expect(part.body.numberOfRecords).toBe(0);
    expect(truncated.body.numberOfRecords).toBe(whole.body.numberOfRecords);
  });

  it("index terms side by side are joined by AND; a lower-case 'and' is a word of the title", async () => {
    const joined = await search("ti:pride and prejudice au:austen", "&limit=1");
    const explicit = await search("ti:pride and prejudice AND au:austen", "&limit=1");
    expect(joined.status).toBe(200);
    expect(joined.body.numberOfRecords).toBe(explicit.body.numberOfRecords);
    expect(joined.body.numberOfRecords).toBeGreaterThan(0);
    // "and" is part of the title term, not an operator: "austen" must then be in the title, which it is in
    // fewer records than anywhere in them (read as `ti:pride AND kw:austen`, both counts would be equal).
    const inTitle = (await search("ti:pride and austen")).body.numberOfRecords;
    const anywhere = (await search("ti:pride AND kw:austen")).body.numberOfRecords;
    expect(inTitle).toBeLessThan(anywhere);
  });

  it("by ISBN (10 or 13 digits), by OCLC number, by a local id in 035", async () => {
    expect(numbers((await search("bn:0060933259")).body)).toEqual(["42943498"]);
    expect(numbers((await search("bn:978-0-06-093325-8")).body)).toEqual(["42943498"]);
    expect(numbers((await search("no:ocm42943498")).body)).toEqual(["42943498"]);
    // sample1.mrc's record 370607 from NBYdb keeps its local number in 035 as (NBYdb)370607
    expect(numbers((await search("id:(NBYdb)370607")).body)).toEqual(["42435002"]);
    expect(numbers((await search("370607")).body)).toContain("42435002");
  });

  it("finds synthetic records by ISBN, title and number among a million", async () => {
    expect(numbers((await search(`bn:${syntheticIsbn(765432)}`)).body)).toEqual(["100765432"]);
    expect(numbers((await search("ti:Synthetic record 765432")).body)).toEqual(["100765432"]);
    expect(numbers((await search("no:100001000")).body)).toEqual(["100000999"]);
  });

  it("finds a record created in the sandbox", async () => {
    const body = NEW_RECORD.replace(
      "Record Builder Added This Test Record On 05/08/2014",
      "Nightshift zebra quokka",
    );
    await fetch(`${sb.url}/worldcat/manage/bibs`, {
      method: "POST",
      headers: { ...h, "content-type": MARCXML },
      body,
    });
    const found = await search("ti:zebra quokka AND au:reese");
    expect(found.body.numberOfRecords).toBe(1);
  });

  it("pages with offset and limit; limit over 50, a missing q or an unknown index is a 400", async () => {
    const all = numbers((await search("au:austen", "&limit=20")).body);
    const second = numbers((await search("au:austen", "&offset=11&limit=10")).body);
    expect(second).toEqual(all.slice(10, 20));
    expect((await search("au:austen", "&limit=51")).status).toBe(400);
    expect((await search("zz:what")).status).toBe(400);
    const res = await fetch(`${sb.url}/worldcat/search/brief-bibs`, { headers: h });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ type: "INVALID_QUERY_PARAMETER_VALUE" });
  });

  it("one brief record by number, with merged numbers", async () => {
    const res = await fetch(`${sb.url}/worldcat/search/brief-bibs/41868686`, { headers: h });
    expect(await json(res)).toMatchObject({ oclcNumber: "41868686", mergedOclcNumbers: ["49825032"] });
    expect((await fetch(`${sb.url}/worldcat/search/brief-bibs/5`, { headers: h })).status).toBe(404);
  });
});

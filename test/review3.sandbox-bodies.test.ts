/**
 * Review 3: the sandbox takes and gives record bodies as WorldCat does — both record formats always work
 * (a record past ISO 2709's limits is refused when sent, never a 500 when read back), the body's declared
 * encoding is honoured, Accept q-values decide the format, the Content-Type is judged before the size, and
 * concurrent creates never share a number.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/sandbox/index.js";
import {
  bearer,
  field001,
  json,
  lbdXml,
  MARCXML,
  NEW_RECORD,
  sandbox,
  V1_XML,
} from "./fixtures/sandbox/harness.js";

let sb: Sandbox;
let h: Record<string, string>;
const BIBS = "/worldcat/manage/bibs";

beforeAll(async () => {
  sb = await sandbox({ seed: 20, corpus: false });
  h = await bearer(sb);
});
afterAll(() => sb.close());

const post = (path: string, body: string | Buffer, headers: Record<string, string>) =>
  fetch(`${sb.url}${path}`, { method: "POST", headers: { ...h, ...headers }, body });

/** NEW_RECORD with `n` notes of `size` characters each. */
const withNotes = (n: number, size: number, char = "x") =>
  NEW_RECORD.replace(
    "</record>",
    `${`<datafield tag="500" ind1=" " ind2=" "><subfield code="a">${char.repeat(size)}</subfield></datafield>`.repeat(n)}</record>`,
  );

describe("review 3: records past ISO 2709's limits", () => {
  it("a create whose record cannot be MARC 21 is a 400 validation body, and nothing is created", async () => {
    for (const body of [withNotes(1, 10_000), withNotes(12, 9_000)]) {
      const res = await post(BIBS, body, { "content-type": MARCXML, accept: "application/marc" });
      expect(res.status).toBe(400);
      const b = await json(res);
      expect(b.status.summary).toBe("INVALID");
      const all = [...b.fixedFieldErrors, ...b.variableFieldErrors];
      expect(all.some((e: { code: string }) => e.code === "NOT_ENCODABLE")).toBe(true);
    }
    expect(sb.state.creations).toEqual([]);
    // The sandbox still answers normally afterwards (the earlier behaviour: 500 after storing the record).
    const ok = await post(BIBS, NEW_RECORD, { "content-type": MARCXML, accept: "application/marc" });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("content-type")).toBe("application/marc");
  });

  it("validate endpoints report it in both APIs", async () => {
    const v2 = await post(`${BIBS}/validate/validateFull`, withNotes(1, 10_000), { "content-type": MARCXML });
    expect(v2.status).toBe(400);
    expect(JSON.stringify(await json(v2))).toContain("NOT_ENCODABLE");
    const v1 = await post("/bib/validateFull", withNotes(1, 10_000), { "content-type": V1_XML });
    expect(v1.status).toBe(400);
    expect(await v1.text()).toMatch(/<validationError type="variable field"><field name="500"/);
  });

  it("local bibliographic data past the limits is refused too", async () => {
    const big = `<datafield tag="500" ind1=" " ind2=" "><subfield code="a">${"y".repeat(10_000)}</subfield></datafield>`;
    const res = await post("/worldcat/manage/lbds", lbdXml(100000002, "BIG-1", sb.accounts[0].symbol, big), {
      "content-type": MARCXML,
    });
    expect(res.status).toBe(400);
    expect(sb.state.lbds.size).toBe(0);
  });
});

describe("review 3: character encoding of XML bodies", () => {
  const latin1 = (decl: boolean) =>
    Buffer.from(
      NEW_RECORD.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        decl ? '<?xml version="1.0" encoding="ISO-8859-1"?>' : "",
      )
        .replace("Reese, Terry", "Caf\u00e9, Ren\u00e9e")
        .trimStart(),
      "latin1",
    );

  it("a Latin-1 body declared as such keeps its accented letters", async () => {
    for (const [body, type] of [
      [latin1(true), MARCXML],
      [latin1(false), `${MARCXML}; charset=ISO-8859-1`],
    ] as const) {
      const res = await post(BIBS, body, { "content-type": type, accept: MARCXML });
      expect(res.status).toBe(201);
      expect(await res.text()).toContain("Caf\u00e9, Ren\u00e9e");
    }
  });

  it("bytes that are not UTF-8 in a UTF-8 body are a 400 naming the offset, not a stored U+FFFD", async () => {
    const before = sb.state.creations.length;
    const body = latin1(false);
    const res = await post(BIBS, body, { "content-type": MARCXML });
    expect(res.status).toBe(400);
    const b = await json(res);
    expect(b.detail).toContain(`not valid utf-8 (first bad byte at offset ${body.indexOf(0xe9)})`);
    expect(sb.state.creations.length).toBe(before);
    const unknown = await post(BIBS, NEW_RECORD, { "content-type": `${MARCXML}; charset=x-nonesuch` });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).detail).toContain("Unsupported character encoding 'x-nonesuch'");
  });
});

describe("review 3: content negotiation", () => {
  const read = (accept: string) =>
    fetch(`${sb.url}${BIBS}/100000003`, { headers: { ...h, accept } }).then((r) => [
      r.status,
      r.headers.get("content-type")?.split(";")[0],
    ]);

  it("Accept q-values decide between application/marc and MARCXML", async () => {
    expect(await read("application/marc, application/marcxml+xml;q=0.5")).toEqual([200, "application/marc"]);
    expect(await read("application/marcxml+xml;q=0.1, application/marc")).toEqual([200, "application/marc"]);
    expect(await read("application/marc;q=0.2, application/marcxml+xml")).toEqual([200, MARCXML]);
    expect(await read("application/marc;q=0.9, */*;q=0.1")).toEqual([200, "application/marc"]);
    expect(await read("*/*")).toEqual([200, MARCXML]);
    expect(await read("application/marc;q=0, application/json")).toEqual([406, "application/json"]);
  });

  it("a body of the wrong type is a 406 whatever its size; an oversized record body is a 413", async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 0x61);
    const wrong = await post(BIBS, big, { "content-type": "application/json" });
    expect(wrong.status).toBe(406);
    expect((await json(wrong)).type).toBe("NOT_ACCEPTABLE");
    const tooBig = await post(BIBS, big, { "content-type": MARCXML });
    expect(tooBig.status).toBe(413);
    expect(await json(tooBig)).toEqual({
      type: "PAYLOAD_TOO_LARGE",
      title: "Payload Too Large",
      detail: { summary: "PAYLOAD_TOO_LARGE", description: "Request body larger than 5242880 bytes" },
    });
  });
});

describe("review 3: concurrency and controls", () => {
  it("150 concurrent creates through both APIs and both formats get 150 different numbers", async () => {
    const marc = Buffer.from(
      await (
        await fetch(`${sb.url}${BIBS}/100000005`, { headers: { ...h, accept: "application/marc" } })
      ).arrayBuffer(),
    );
    const results = await Promise.all(
      Array.from({ length: 150 }, async (_, i) => {
        const [path, type, body] =
          i % 3 === 0
            ? [BIBS, MARCXML, NEW_RECORD]
            : i % 3 === 1
              ? [BIBS, "application/marc", marc]
              : ["/bib/data", V1_XML, NEW_RECORD];
        const res = await post(path, body, { "content-type": type, accept: MARCXML });
        return [res.status, field001(await res.text()).replace(/\D/g, "")] as const;
      }),
    );
    expect(new Set(results.map(([s]) => s))).toEqual(new Set([201]));
    expect(new Set(results.map(([, n]) => n)).size).toBe(150);
  });

  it("with controls off, the 404 names the CLI flag that turns them on", async () => {
    const off = await sandbox({ enableControl: false, corpus: false });
    try {
      const res = await fetch(`${off.url}/_sandbox/state`);
      expect(res.status).toBe(404);
      expect((await json(res)).detail.description).toContain("--enable-control");
    } finally {
      await off.close();
    }
  });
});

/**
 * Entity expansion is capped per document in every XML reader built on src/marc's tokenizer (MARCXML files,
 * the sandbox's request bodies, OAI-PMH pages): a 25 KB file with one entity used 5,000 times must not become
 * 50 MB of text. Past a cap reading stops with an error naming the limit and the line.
 */
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_LIMITS, EntityLimitError, parseMarcXmlString, readMarcXml } from "../src/marc/index.js";
import type { Sandbox } from "../src/sandbox/index.js";
import { bearer, MARCXML, sandbox } from "./fixtures/sandbox/harness.js";

/** A MARCXML record whose 500 note holds `uses` references to one declared entity of `size` characters. */
function bomb(size: number, uses: number): string {
  return [
    `<?xml version="1.0"?>`,
    `<!DOCTYPE record [<!ENTITY big "${"x".repeat(size)}">]>`,
    `<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>`,
    `<controlfield tag="008">000101s2000    xxu           000 0 eng d</controlfield>`,
    `<datafield tag="245" ind1="0" ind2="0"><subfield code="a">T</subfield></datafield>`,
    `<datafield tag="500" ind1=" " ind2=" "><subfield code="a">${"&big;".repeat(uses)}</subfield></datafield>`,
    `</record>`,
  ].join("\n");
}

async function readAll(xml: string) {
  const items = [];
  for await (const item of readMarcXml(Readable.from([Buffer.from(xml)]))) items.push(item);
  return items;
}

describe("MARCXML reader", () => {
  it("stops a 25 KB document that would expand to 50 MB, naming the limit and the line", async () => {
    const xml = bomb(10_000, 5_000);
    expect(xml.length).toBeLessThan(40_000);
    const err = await readAll(xml).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EntityLimitError);
    expect((err as Error).message).toBe(
      `line 6: entities declared in the DOCTYPE expand to more than ${ENTITY_LIMITS.characters} characters (the per-document limit on entity expansion); reading stopped`,
    );
  });

  it("caps the number of references too, however small the entity", async () => {
    const err = await readAll(bomb(1, ENTITY_LIMITS.references + 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EntityLimitError);
    expect((err as EntityLimitError).limit).toBe("references");
  });

  it("reads declared entities within the limits", async () => {
    const [item] = await readAll(bomb(10, 3));
    expect(item.record?.fields.find((f) => f.tag === "500")).toBeDefined();
    expect(JSON.stringify(item.record)).toContain("x".repeat(30));
  });

  it("the one-record string reader is capped as well", () => {
    expect(() => parseMarcXmlString(bomb(10_000, 5_000))).toThrow(EntityLimitError);
  });
});

describe("the sandbox's request bodies", () => {
  let sb: Sandbox;
  let h: Record<string, string>;
  beforeAll(async () => {
    sb = await sandbox({ seed: 1, corpus: false });
    h = await bearer(sb);
  });
  afterAll(() => sb.close());

  it("answers 400 naming the limit, creating nothing", async () => {
    const res = await fetch(`${sb.url}/worldcat/manage/bibs`, {
      method: "POST",
      headers: { ...h, "content-type": MARCXML },
      body: bomb(10_000, 5_000),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("per-document limit on entity expansion");
    expect(sb.state.creations).toEqual([]);
  });
});

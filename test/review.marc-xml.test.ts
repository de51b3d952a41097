/** Review: MARCXML reader edge cases. */
import { describe, expect, it } from "vitest";
import { readMarcXml } from "../src/marc/marcxml-reader.js";

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

async function read(body: string) {
  const xml = `<record xmlns="http://www.loc.gov/MARC21/slim" xmlns:h="http://www.w3.org/1999/xhtml"><leader>00000nam a2200000 a 4500</leader>${body}</record>`;
  const out = [];
  for await (const item of readMarcXml(bytes(xml))) out.push(item);
  return out;
}

describe("review: elements nested inside MARCXML text elements", () => {
  it("an element inside a controlfield does not cut the field short", async () => {
    const [item] = await read(
      `<controlfield tag="001">a<b>c</b>d</controlfield><controlfield tag="003">X</controlfield>`,
    );
    expect(item?.record.fields.map((f) => (f.kind === "control" ? [f.tag, f.value] : []))).toEqual([
      ["001", "acd"],
      ["003", "X"],
    ]);
  });

  it("a foreign-namespace element inside a subfield does not cut the subfield short", async () => {
    const [item] = await read(
      `<datafield tag="245" ind1="1" ind2="0"><subfield code="a">A <h:i>bold</h:i> rest</subfield><subfield code="b">B</subfield></datafield>`,
    );
    const f = item?.record.get("245");
    expect(f?.kind === "data" ? f.subfields.map((s) => [s.code, s.value]) : []).toEqual([
      ["a", "A bold rest"],
      ["b", "B"],
    ]);
  });
});

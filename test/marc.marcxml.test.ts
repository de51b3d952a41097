import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarcReadError } from "../src/marc/codec.js";
import { readMarcXml } from "../src/marc/marcxml-reader.js";
import { parseMarcXmlString, recordToMarcXml } from "../src/marc/marcxml-string.js";
import { createMarcXmlWriter } from "../src/marc/marcxml-writer.js";
import { subfield, subfieldValues } from "../src/marc/record.js";
import { record } from "./fixtures/marc-text/arbitrary.js";
import { CORPUS, readAll, writeAll } from "./fixtures/marc-text/io.js";

const corpus = (name: string) => readFileSync(join(CORPUS, name));

describe("MARCXML reader on the corpus", () => {
  const files = readdirSync(CORPUS).filter((n) => n.endsWith(".xml"));

  it.each(files)("reads %s without a crash, in tiny chunks and whole", async (name) => {
    const small = await readAll(readMarcXml, corpus(name), {}, 5);
    const whole = await readAll(readMarcXml, corpus(name), {}, 1 << 20);
    expect(small.length).toBeGreaterThan(0);
    expect(small.map((i) => i.record.equals(whole[i.recordNumber - 1].record))).not.toContain(false);
  });

  it("gives known values field by field (chabon.xml, sample1a.xml)", async () => {
    const chabon = await readAll(readMarcXml, corpus("chabon.xml"));
    expect(chabon.map((i) => i.recordNumber)).toEqual([1, 2]);
    const r = chabon[0].record;
    expect(r.leader).toBe("00759cam a2200229 a 4500");
    expect(r.controlValue("001")).toBe("11939876");
    expect(r.controlValue("008")).toBe("000313s2000    nyu           000 1 eng  ");
    const f245 = r.get("245")!;
    expect(f245.kind === "data" && [f245.ind1, f245.ind2]).toEqual(["1", "4"]);
    expect(subfieldValues(f245)).toEqual([
      "The amazing adventures of Kavalier and Clay :",
      "a novel /",
      "Michael Chabon.",
    ]);
    expect(r.getFields("650").map((f) => subfield(f, "a"))).toEqual([
      "Comic books, strips, etc.",
      "Heroes in mass media",
      "Czech Americans",
      "Young men",
      "Cartoonists",
    ]);
    expect(chabon.every((i) => i.problems.length === 0)).toBe(true);

    const sample = await readAll(readMarcXml, corpus("sample1a.xml"));
    expect(sample).toHaveLength(9);
    expect(sample[0].record.controlValue("001")).toBe("370589");
    expect(subfield(sample[0].record.get("035")!, "a")).toBe("(OCoLC)ocm16504428");
  });

  it("decodes non-Latin text (OCLC_814388508.xml)", async () => {
    const [item] = await readAll(readMarcXml, corpus("OCLC_814388508.xml"));
    expect(item.record.controlValue("001")).toBe("ocn814388508");
    // The file has decomposed characters (e + U+0304); the reader keeps them as they are.
    expect(subfield(item.record.get("245")!, "a")).toBe("He\u0304 agora ste\u0304 Mesogeio :");
    const f880 = item.record.getFields("880").map((f) => subfield(f, "a") ?? "");
    expect(f880.some((v) => /[\u0370-\u03ff]/.test(v))).toBe(true);
  });

  it("reports a missing subfield code and keeps the data", async () => {
    const [item] = await readAll(readMarcXml, corpus("chabon-missing-subfield-code.xml"));
    expect(item.problems).toHaveLength(1);
    expect(item.problems[0]).toMatchObject({ severity: "error", recordNumber: 1, tag: "020" });
    expect(item.problems[0].message).toMatch(/subfield without a code.*line 8/);
    const f020 = item.record.get("020")!;
    expect(f020.kind === "data" && f020.subfields).toEqual([
      { code: " ", value: "0679450041 (acid-free paper)" },
    ]);
    await expect(
      readAll(readMarcXml, corpus("chabon-missing-subfield-code.xml"), { strict: true }),
    ).rejects.toThrow(MarcReadError);
  });

  it("reports missing indicators and recovers with blanks", async () => {
    const [item] = await readAll(readMarcXml, corpus("cruel-cruel-indicatorless-summerland.xml"));
    expect(item.problems.map((p) => [p.severity, p.tag])).toEqual([
      ["warning", "911"],
      ["warning", "911"],
    ]);
    const f911 = item.record.get("911")!;
    expect(f911.kind === "data" && [f911.ind1, f911.ind2]).toEqual([" ", " "]);
    expect(item.byteOffset).toBeGreaterThan(0);
  });
});

const SLIM = "http://www.loc.gov/MARC21/slim";
const body = `<leader>00000nam a2200000 a 4500</leader><controlfield tag="001">42</controlfield>`;

/** Each case: a document and the 001 and 245 $a expected from its only record. */
const conformance: [string, string, string][] = [
  ["default namespace", `<record xmlns="${SLIM}">${body}${f245("T")}</record>`, "T"],
  ["marc: prefix", `<marc:record xmlns:marc="${SLIM}">${m(body)}${m(f245("T"))}</marc:record>`, "T"],
  ["no namespace", `<record>${body}${f245("T")}</record>`, "T"],
  ["collection", `<collection xmlns="${SLIM}"><record>${body}${f245("T")}</record></collection>`, "T"],
  [
    "attributes in any order, single quotes, whitespace",
    `<record xmlns="${SLIM}">${body}<datafield ind2 = '0'\n ind1="1"\ttag='245' ><subfield\ncode = "a" >T</subfield ></datafield ></record >`,
    "T",
  ],
  ["predefined entities", `<record>${body}${f245("&amp;&lt;&gt;&quot;&apos;")}</record>`, `&<>"'`],
  ["character references", `<record>${body}${f245("&#233;&#xE9;&#x1F600;&#128512;")}</record>`, "éé😀😀"],
  ["CDATA", `<record>${body}${f245("<![CDATA[a <b> & c]]>")}</record>`, "a <b> & c"],
  [
    "comments and PIs",
    `<?xml version="1.0"?><!-- c <record> --><?pi x?><record>${body}${f245("A<!-- x -->B<?p?>")}</record>`,
    "AB",
  ],
  [
    "DOCTYPE with an internal entity",
    `<?xml version="1.0"?><!DOCTYPE record [<!ENTITY me "Moi"><!-- ] -->]><record>${body}${f245("&me;")}</record>`,
    "Moi",
  ],
  ["CRLF normalised to LF", `<record>${body}${f245("a\r\nb\rc")}</record>`, "a\nb\nc"],
  [
    "OAI-PMH envelope",
    `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header><identifier>oai:x:1</identifier></header><metadata><marc:record xmlns:marc="${SLIM}">${m(body)}${m(f245("T"))}</marc:record></metadata></record></ListRecords></OAI-PMH>`,
    "T",
  ],
  [
    "WorldCat Atom wrapper",
    `<entry xmlns="http://www.w3.org/2005/Atom"><title>t</title><content type="application/xml"><response xmlns="http://worldcat.org/rb" mimeType="application/vnd.oclc.marc21+xml"><record xmlns="${SLIM}">${body}${f245("T")}</record></response></content></entry>`,
    "T",
  ],
  ["UTF-8 BOM", `\uFEFF<record>${body}${f245("T")}</record>`, "T"],
];

function f245(content: string): string {
  return `<datafield tag="245" ind1="1" ind2="0"><subfield code="a">${content}</subfield></datafield>`;
}
function m(xml: string): string {
  return xml.replace(/<(\/?)(\w)/g, "<$1marc:$2");
}

describe("MARCXML conformance", () => {
  it.each(conformance)("%s", async (_name, xml, expected) => {
    for (const size of [1, 3, 4096]) {
      const items = await readAll(readMarcXml, xml, { strict: true }, size);
      expect(items).toHaveLength(1);
      expect(items[0].record.controlValue("001")).toBe("42");
      expect(subfield(items[0].record.get("245")!, "a")).toBe(expected);
    }
  });

  it("declares the encoding: ISO-8859-1", async () => {
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="ISO-8859-1"?><record>${body}${f245("caf\xe9")}</record>`,
      "latin1",
    );
    const [item] = await readAll(readMarcXml, xml, { strict: true });
    expect(subfield(item.record.get("245")!, "a")).toBe("café");
  });

  it("never resolves external entities", async () => {
    const xml = `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><record>${body}${f245("&x;")}</record>`;
    const [item] = await readAll(readMarcXml, xml);
    expect(subfield(item.record.get("245")!, "a")).toBe("&x;");
    expect(item.problems[0].message).toMatch(/unknown or invalid reference &x;/);
  });

  const broken: [string, string, RegExp][] = [
    [
      "bare ampersand",
      `<collection><record>${body}${f245("AT&T")}</record></collection>`,
      /'&' not followed/,
    ],
    [
      "mismatched end tag",
      `<collection><record>${body}<datafield tag="245" ind1="1" ind2="0"><subfield code="a">T</subfeld></datafield></record></collection>`,
      /does not match|not closed/,
    ],
    [
      "unquoted attribute",
      `<collection><record>${body}<datafield tag=245 ind1="1" ind2="0"><subfield code="a">T</subfield></datafield></record></collection>`,
      /malformed start tag/,
    ],
    [
      "control character",
      `<collection><record>${body}${f245("a\u0001b")}</record></collection>`,
      /not allowed in XML/,
    ],
    [
      "undeclared prefix",
      `<marc:collection><marc:record>${m(body)}</marc:record></marc:collection>`,
      /prefix "marc" is not declared/,
    ],
  ];

  it.each(broken)("%s: a problem with record number and line, then recovery", async (_name, xml, message) => {
    const doc = `${xml.replace("</collection>", "").replace("</marc:collection>", "")}\n${
      xml.startsWith("<marc:")
        ? `<marc:record>${m(body)}</marc:record></marc:collection>`
        : `<record>${body}</record></collection>`
    }`;
    const items = await readAll(readMarcXml, doc);
    expect(items.length).toBe(2);
    expect(items[0].problems.length).toBeGreaterThan(0);
    expect(items[0].problems[0].message).toMatch(message);
    expect(items[0].problems[0].message).toMatch(/line \d+/);
    expect(items[0].problems[0].recordNumber).toBe(1);
    expect(items[1].record.controlValue("001")).toBe("42");
    await expect(readAll(readMarcXml, doc, { strict: true })).rejects.toThrow(/record 1/);
  });

  it("reports a truncated document and keeps the records before the cut", async () => {
    const doc = `<collection><record>${body}</record><record>${body}<datafield tag="245"`;
    const items = await readAll(readMarcXml, doc);
    expect(items).toHaveLength(2);
    expect(items[0].problems).toEqual([]);
    expect(items[1].problems.some((p) => /unterminated|not closed/.test(p.message))).toBe(true);
  });

  it("reports a file with no XML at all", async () => {
    const items = await readAll(readMarcXml, "this is not xml");
    expect(items).toHaveLength(1);
    expect(items[0].problems[0].message).toMatch(/text outside the document element/);
  });
});

describe("MARCXML writer", () => {
  it("writes a collection that re-reads equal (corpus)", async () => {
    const records = parseMarcXmlString(readFileSync(join(CORPUS, "sample1a.xml"), "utf8"));
    const xml = await writeAll((out) => createMarcXmlWriter(out), records);
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${SLIM}">`)).toBe(true);
    const back = parseMarcXmlString(xml);
    expect(back.map((r, i) => r.equals(records[i]))).toEqual(records.map(() => true));
  });

  it("escapes markup and replaces characters XML cannot carry", async () => {
    const [r] = parseMarcXmlString(`<record>${body}${f245("x")}</record>`);
    const tricky = r.replaceFields("245", {
      kind: "data",
      tag: "245",
      ind1: '"',
      ind2: "<",
      subfields: [{ code: "a", value: 'a&b<c>d"e\r\nf\u0001g' }],
    });
    const replaced: number[] = [];
    const xml = recordToMarcXml(tricky, { declaration: true, onInvalidCharacter: (c) => replaced.push(c) });
    expect(xml).toContain('ind1="&quot;" ind2="&lt;"');
    expect(xml).toContain('a&amp;b&lt;c&gt;d"e&#13;\nf\uFFFDg');
    expect(replaced).toEqual([1]);
    const [back] = parseMarcXmlString(xml);
    expect(subfield(back.get("245")!, "a")).toBe('a&b<c>d"e\r\nf\uFFFDg');
  });

  it("property: random records survive write and read", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record(true), { maxLength: 5 }), fc.boolean(), async (records, indent) => {
        const xml = await writeAll((out) => createMarcXmlWriter(out, { indent }), records);
        const items = await readAll(readMarcXml, xml, { strict: true }, 13);
        expect(items.length).toBe(records.length);
        expect(items.map((item, i) => item.record.equals(records[i]))).toEqual(records.map(() => true));
      }),
      { numRuns: 200 },
    );
  });
});

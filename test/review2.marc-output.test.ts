/**
 * What our writers produce, checked against the formats' own definitions: MARCXML against the structure and
 * patterns of MARC21slim.xsd (parsed with saxes, not with our reader), MARC-in-JSON against the code4lib
 * spec; and `nightshift marc convert -o` with an output it cannot write.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import type { OutputFormat } from "../src/marc/format.js";
import { createWriter, readFile } from "../src/marc/io.js";
import { CORPUS } from "./fixtures/paths.js";

const ROOT = join(import.meta.dirname, "..");
const SLIM = "http://www.loc.gov/MARC21/slim";

/** Files whose records break MARC 21 itself (bad leaders, indicators, control fields after data fields). */
const INVALID_SOURCE = new Set([
  "bad_leaders_10_11.mrc",
  "bad_too_long_plus_2.mrc",
  "chabon-missing-subfield-code.xml",
  "incomplete_esc_seq.mrc",
  "pride-and-prejudice-fixed.mrc",
  "pride-and-prejudice-with-many-errors.mrc",
  "sample1.mrc",
]);
const VALID_FILES = readdirSync(CORPUS).filter((f) => !INVALID_SOURCE.has(f));

async function convert(file: string, to: OutputFormat): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const writer = createWriter(to, out);
  for await (const item of readFile(join(CORPUS, file))) await writer.write(item.record);
  await writer.close();
  return Buffer.concat(chunks).toString("utf8");
}

// The simple types of MARC21slim.xsd (version 1.2).
const LEADER = /^[\d ]{5}[\dA-Za-z ][\dA-Za-z][\dA-Za-z ]{3}(2| )(2| )[\d ]{5}[\dA-Za-z ]{3}(4500| {4})$/;
const CONTROL_TAG = /^00[1-9A-Za-z]$/;
const TAG = /^((0([1-9A-Z][0-9A-Z])|0([1-9a-z][0-9a-z]))|(([1-9A-Z][0-9A-Z]{2})|([1-9a-z][0-9a-z]{2})))$/;
const INDICATOR = /^[\da-z ]$/;
const CODE = /^[\dA-Za-z!"#$%&'()*+,\-./:;<=>?{}_^`~[\]\\]$/;

/** Everything MARC21slim.xsd would reject in `xml`, as messages; [] when valid. */
function slimViolations(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  /** Per open record: 0 leader expected, 1 control fields, 2 data fields. */
  let phase = 0;
  let subfields = 0;
  let text = "";
  const parser = new SaxesParser({ xmlns: true });
  parser.on("error", (e) => problems.push(`not well-formed: ${e.message}`));
  parser.on("opentag", (tag) => {
    const parent = stack[stack.length - 1];
    const where = `${parent ?? "document"} > ${tag.local}`;
    if (tag.uri !== SLIM) problems.push(`${where}: namespace ${tag.uri}`);
    const attr = (name: string) => tag.attributes[name]?.value;
    // Phase: 0 before the leader, 1 after it (control fields), 2 once a data field came.
    const allowed: Record<string, readonly number[]> = { leader: [0], controlfield: [1], datafield: [1, 2] };
    if (tag.local === "collection") {
      if (parent !== undefined) problems.push(`${where}: not the root`);
    } else if (tag.local === "record") {
      if (parent !== undefined && parent !== "collection") problems.push(`${where}: bad parent`);
      phase = 0;
    } else if (tag.local in allowed) {
      if (parent !== "record") problems.push(`${where}: bad parent`);
      if (!allowed[tag.local]!.includes(phase))
        problems.push(`${where}: out of order (leader, controlfield*, datafield*)`);
      phase = tag.local === "datafield" ? 2 : 1;
      if (tag.local === "controlfield" && !CONTROL_TAG.test(attr("tag") ?? ""))
        problems.push(`${where}: tag '${attr("tag")}'`);
      if (tag.local === "datafield") {
        if (!TAG.test(attr("tag") ?? "")) problems.push(`${where}: tag '${attr("tag")}'`);
        for (const i of ["ind1", "ind2"])
          if (!INDICATOR.test(attr(i) ?? "")) problems.push(`${where}: ${i} '${attr(i)}'`);
        subfields = 0;
      }
    } else if (tag.local === "subfield") {
      if (parent !== "datafield") problems.push(`${where}: bad parent`);
      if (!CODE.test(attr("code") ?? "")) problems.push(`${where}: code '${attr("code")}'`);
      subfields++;
    } else problems.push(`${where}: unknown element`);
    stack.push(tag.local);
    text = "";
  });
  parser.on("text", (t) => {
    text += t;
  });
  parser.on("closetag", (tag) => {
    stack.pop();
    if (tag.local === "leader" && !LEADER.test(text)) problems.push(`leader '${text}'`);
    if (tag.local === "datafield" && subfields === 0) problems.push("datafield without subfield");
    if (tag.local === "record" && phase === 0) problems.push("record without leader");
  });
  parser.write(xml).close();
  return problems;
}

describe("MARCXML output against MARC21slim.xsd", () => {
  it.each(VALID_FILES)("%s: namespace, element order, attributes and patterns", async (file) => {
    const xml = await convert(file, "marcxml");
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${SLIM}">`)).toBe(true);
    expect(slimViolations(xml)).toEqual([]);
  });

  it("the checker itself rejects what the schema rejects", () => {
    const bad = `<collection xmlns="${SLIM}"><record><controlfield tag="001">1</controlfield><leader>x</leader><datafield tag="245" ind1="-" ind2=" "></datafield></record></collection>`;
    expect(slimViolations(bad)).toEqual([
      "record > controlfield: out of order (leader, controlfield*, datafield*)",
      "record > leader: out of order (leader, controlfield*, datafield*)",
      "leader 'x'",
      "record > datafield: ind1 '-'",
      "datafield without subfield",
    ]);
  });
});

describe("MARC-in-JSON output against the code4lib spec", () => {
  it.each(VALID_FILES)(
    "%s: {leader, fields: [{tag: value} | {tag: {ind1, ind2, subfields: [{code: value}]}}]}",
    async (file) => {
      const records = JSON.parse(await convert(file, "json")) as unknown[];
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect(Object.keys(r as object).sort()).toEqual(["fields", "leader"]);
        const { leader, fields } = r as { leader: unknown; fields: unknown[] };
        expect(typeof leader === "string" && leader.length === 24).toBe(true);
        for (const f of fields) {
          const keys = Object.keys(f as object);
          expect(keys).toHaveLength(1);
          const tag = keys[0]!;
          const value = (f as Record<string, unknown>)[tag];
          if (tag.startsWith("00")) {
            expect(typeof value).toBe("string");
            continue;
          }
          const data = value as { ind1: string; ind2: string; subfields: Record<string, string>[] };
          expect(Object.keys(data).sort()).toEqual(["ind1", "ind2", "subfields"]);
          expect([data.ind1.length, data.ind2.length]).toEqual([1, 1]);
          for (const s of data.subfields) {
            const [code, ...more] = Object.keys(s);
            expect(more).toEqual([]);
            expect([code!.length, typeof s[code!]]).toEqual([1, "string"]);
          }
        }
      }
    },
  );
});

describe("nightshift marc convert -o OUT that cannot be written", () => {
  it("says which output and why, exit 1, no stack trace", async () => {
    const out = join(ROOT, "no-such-directory-review2", "out.xml");
    const child = spawn(process.execPath, [
      join(ROOT, "bin", "nightshift.js"),
      "marc",
      "convert",
      join(CORPUS, "summerland.mrc"),
      "--to",
      "marcxml",
      "-o",
      out,
    ]);
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `nightshift marc: cannot write ${out}: ENOENT: no such file or directory, open '${out}'\n`,
    );
  });
});

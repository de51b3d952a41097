import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MarcReadError, type ReadItem } from "../src/marc/codec.js";
import { readIso2709 } from "../src/marc/iso2709-reader.js";
import { subfield } from "../src/marc/record.js";
import { CORPUS } from "./fixtures/paths.js";

const bytesOf = (name: string) => readFileSync(join(CORPUS, name));

/** The bytes as a stream of `size`-byte chunks (records then span chunks). */
function* chunked(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function readAll(bytes: Uint8Array, options = {}, chunk = 65536): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  const source = (async function* () {
    yield* chunked(bytes, chunk);
  })();
  for await (const item of readIso2709(source, options)) items.push(item);
  return items;
}

const messages = (items: ReadItem[]) =>
  items.flatMap((i) =>
    i.problems.map((p) => `#${p.recordNumber}@${p.byteOffset} ${p.severity} ${p.message}`),
  );

describe("readIso2709 on the corpus", () => {
  const expected: Record<string, number> = {
    "008008027.mrc": 19,
    "065001035.mrc": 40,
    "bad_leaders_10_11.mrc": 1,
    "bad_too_long_plus_2.mrc": 3,
    "brkrtest.mrc": 8,
    "brkrtest_UTF8.mrc": 8,
    "chabon-loc.mrc": 2,
    "chabon.mrc": 2,
    "chinese_mangled_multibyte.mrc": 4,
    "cyrillic_capital_e.mrc": 2,
    "greekmissingcharsetchange.mrc": 3,
    "incomplete_esc_seq.mrc": 1,
    "kan1222221.mrc": 1,
    "loongboonmee.mrc": 2,
    "oclc_63111280_export_as_UTF8_from_connexion.mrc": 1,
    "pride-and-prejudice-fixed.mrc": 383,
    "pride-and-prejudice-with-many-errors.mrc": 383,
    "sample1.mrc": 8,
    "selectedRecs.mrc": 11,
    "summerland.mrc": 1,
    "u17_utf8.mrc": 1,
  };

  it("knows every .mrc file of the corpus", () => {
    expect(
      readdirSync(CORPUS)
        .filter((f) => f.endsWith(".mrc"))
        .sort(),
    ).toEqual(Object.keys(expected).sort());
  });

  for (const [name, count] of Object.entries(expected)) {
    it(`reads ${name} without a crash, the same in 64 KiB and 7-byte chunks`, async () => {
      const bytes = bytesOf(name);
      const big = await readAll(bytes);
      expect(big.length).toBe(count);
      expect(big.map((i) => i.recordNumber)).toEqual(big.map((_, k) => k + 1));
      const small = await readAll(bytes, {}, 7);
      expect(small.map((i) => i.record.equals(big[small.indexOf(i)].record))).not.toContain(false);
      expect(messages(small)).toEqual(messages(big));
    });
  }

  it("reports nothing for clean files", async () => {
    for (const name of ["pride-and-prejudice-fixed.mrc", "065001035.mrc", "brkrtest.mrc", "summerland.mrc"])
      expect(messages(await readAll(bytesOf(name)))).toEqual([]);
  });
});

describe("readIso2709 recovers broken records and says where", () => {
  it("bad_too_long_plus_2: a length past 99,999 and wrapped directory offsets", async () => {
    const items = await readAll(bytesOf("bad_too_long_plus_2.mrc"));
    expect(messages(items).slice(0, 1)).toEqual([
      "#1@0 error record length 23375 in leader, but the record terminator ends the record at 123375 bytes",
    ]);
    expect(messages(items)).toContainEqual(
      expect.stringMatching(/^#1@17292 error directory entry 1440 '991006500076'/),
    );
    const first = items[0].record;
    expect(first.fields.length).toBe(1517);
    expect(first.getFields("991").length).toBeGreaterThan(1000);
    expect(subfield(first.get("245")!, "a")).toBe("Reports and memoranda.");
    // The records after the long one are found at their real offsets.
    expect(items[1].byteOffset).toBe(123375);
    expect(items[2].byteOffset).toBe(124682);
    expect(items[1].record.controlValue("001")).toBeDefined();
  });

  it("bad_leaders_10_11: blank indicator/subfield counts read as 2, with warnings", async () => {
    const [item] = await readAll(bytesOf("bad_leaders_10_11.mrc"));
    expect(messages([item])).toEqual([
      "#1@10 warning leader/10-11 '  ' should be '22'",
      "#1@20 warning leader/20-23 '    ' should be '4500'",
    ]);
    expect(item.record.controlValue("001")).toBe("2600772");
    expect(item.record.getFields("020").map((f) => subfield(f, "a"))).toEqual([
      "3926154780 (Museumsausg.)",
      "3832175679 (Verlagsausg.)",
    ]);
  });

  it("pride-and-prejudice-with-many-errors: shifted directories and invalid UTF-8", async () => {
    const items = await readAll(bytesOf("pride-and-prejudice-with-many-errors.mrc"));
    const all = messages(items);
    expect(all.filter((m) => m.includes("is not a multiple of 12")).length).toBe(16);
    expect(all).toContain("#93@90496 error directory length 119 is not a multiple of 12");
    expect(all).toContain("#93@90616 error 1 of 10 fields have no directory entry; tag '???' given");
    expect(all).toContain("#2@1234 warning invalid UTF-8 (byte 0xB9) replaced by U+FFFD");
    // Record 93: the fields after the damaged first entry keep their tags and data.
    const r93 = items[92].record;
    expect(r93.fields.map((f) => f.tag).slice(0, 3)).toEqual(["???", "008", "020"]);
    expect(r93.fields[0]).toMatchObject({ kind: "control" });
    // Invalid bytes become U+FFFD and the rest of the value survives.
    const f350 = items[1].record.get("350")!;
    expect(subfield(f350, "a")).toContain("\uFFFD");
    expect(items[1].problems[0].tag).toBe("350");
  });

  it("008008027: a record cut by the end of the file keeps the fields before the cut", async () => {
    const items = await readAll(bytesOf("008008027.mrc"));
    const last = items[18];
    expect(messages([last])).toEqual([
      "#19@65536 error record terminator missing: record cut at 3034 bytes (truncated input?)",
      "#19@62814 error directory entry 25 '856062202527' does not match the data; fields recovered by splitting on field terminators",
    ]);
    expect(last.record.controlValue("001")).toBe(items[18].record.controlValue("001"));
    expect(last.record.fields.length).toBeGreaterThan(20);
  });

  it("non-numeric record length and a missing record terminator", async () => {
    const good = bytesOf("summerland.mrc");
    const noNumber = Buffer.from(good);
    noNumber.write("xx714", 0, "latin1");
    const noTerminator = good.subarray(0, good.length - 1);
    const items = await readAll(Buffer.concat([noNumber, noTerminator, good]));
    expect(items.length).toBe(3);
    expect(messages(items)).toEqual([
      "#1@0 error record length 'xx714' in leader is not a number; record ends at its terminator (714 bytes)",
      "#2@1427 error record terminator missing at the end given by the leader's record length",
    ]);
    for (const item of items) expect(item.record.title()).toBe("Summerland /");
  });

  it("bad base address: the directory end is found by its terminator", async () => {
    const bad = Buffer.from(bytesOf("summerland.mrc"));
    bad.write("00999", 12, "latin1");
    const [item] = await readAll(bad);
    expect(messages([item])).toEqual([
      "#1@12 error base address 999 in leader, but the directory ends at 205",
    ]);
    expect(item.record.title()).toBe("Summerland /");
  });

  it("skips line ends between records and ignores an empty input", async () => {
    const good = bytesOf("summerland.mrc");
    const items = await readAll(Buffer.concat([good, Buffer.from("\r\n"), good, Buffer.from("\n")]));
    expect(items.map((i) => i.byteOffset)).toEqual([0, 716]);
    expect(messages(items)).toEqual([]);
    expect(await readAll(Buffer.alloc(0))).toEqual([]);
  });

  it("strict mode throws MarcReadError with record number and byte offset", async () => {
    const bytes = bytesOf("pride-and-prejudice-with-many-errors.mrc");
    const error = await readAll(bytes, { strict: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarcReadError);
    expect((error as MarcReadError).problem).toMatchObject({ recordNumber: 2, byteOffset: 1234, tag: "350" });
    expect((error as Error).message).toBe(
      "record 2 (byte 1234), field 350: invalid UTF-8 (byte 0xB9) replaced by U+FFFD",
    );
    await expect(readAll(bytesOf("pride-and-prejudice-fixed.mrc"), { strict: true })).resolves.toHaveLength(
      383,
    );
  });
});

describe("readIso2709 decodes text", () => {
  it("measures directory lengths in bytes and decodes UTF-8 per field", async () => {
    const [item] = await readAll(bytesOf("u17_utf8.mrc"));
    expect(item.problems).toEqual([]);
    const f245 = item.record.get("245")!;
    expect(f245).toMatchObject({ ind1: "1", ind2: "0" });
    expect(item.record.leader[9]).toBe("a");
  });

  it("converts MARC-8 (Leader/09 blank) to UTF-8 NFC and sets Leader/09 'a'", async () => {
    const items = await readAll(bytesOf("brkrtest.mrc"));
    expect(items.every((i) => i.record.leader[9] === "a")).toBe(true);
    const notes = items.flatMap((i) => i.record.getFields("500").map((f) => subfield(f, "a")));
    expect(notes).toContain("the grave accent in très");
    expect(notes).toContain("the tilde in mañana");
  });

  it("keeps MARC-8 bytes as Latin-1 with toUtf8: false", async () => {
    const items = await readAll(bytesOf("brkrtest.mrc"), { toUtf8: false });
    expect(items[0].record.leader[9]).toBe(" ");
    const notes = items.flatMap((i) => i.record.getFields("500").map((f) => subfield(f, "a")));
    expect(notes).toContain("the grave accent in tr\u00e1es");
  });
});

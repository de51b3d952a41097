import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readFile } from "../src/marc/io.js";
import { allOclcNumbers, oclcNumberOf } from "../src/marc/oclc-number.js";
import { controlField, createRecord, dataField, type Field } from "../src/marc/record.js";
import { type ValidationProfile, validate } from "../src/marc/validate/index.js";

const ROOT = join(import.meta.dirname, "..");
const CORPUS = join(ROOT, "test", "fixtures", "corpus");

const title = dataField("245", "1", "0", [["a", "Title."]]);
const rec = (...fields: Field[]) => createRecord({ fields });

describe("good records from real catalogues validate without errors", () => {
  it.each([
    ["summerland.mrc", "structure"],
    ["summerland.mrc", "create"],
    ["chabon.mrc", "structure"],
    ["chabon.mrc", "create"],
    ["oclc_63111280_export_as_UTF8_from_connexion.mrc", "structure"],
    ["oclc_63111280_export_as_UTF8_from_connexion.mrc", "create"],
  ] as const)("%s under %s", async (file, profile: ValidationProfile) => {
    let records = 0;
    for await (const item of readFile(join(CORPUS, file))) {
      records++;
      expect(validate(item.record, profile).filter((i) => i.severity === "error")).toEqual([]);
    }
    expect(records).toBeGreaterThan(0);
  });

  it("the create warning about an existing number says where it is", async () => {
    for await (const item of readFile(join(CORPUS, "oclc_63111280_export_as_UTF8_from_connexion.mrc"))) {
      expect(validate(item.record, "create")).toEqual([
        expect.objectContaining({ code: "HAS_OCLC_NUMBER", tag: "001", occurrence: 1 }),
      ]);
    }
  });
});

describe("035 $z is a cancelled or invalid number, never the record's own", () => {
  const onlyZ = rec(
    dataField("035", " ", " ", [["a", "(CaOTULAS)1"]]),
    dataField("035", " ", " ", [["z", "(OCoLC)ocm00000999"]]),
    title,
  );

  it("oclcNumberOf finds no number when only $z has one; allOclcNumbers still lists it", () => {
    expect(oclcNumberOf(onlyZ)).toBeUndefined();
    expect(allOclcNumbers(onlyZ)).toEqual([{ number: "999", source: "035$z" }]);
  });

  it("the holdings profile refuses it with an error naming field 035 #2 $z", () => {
    expect(validate(onlyZ, "holdings")).toEqual([
      {
        severity: "error",
        code: "CANCELLED_OCLC_NUMBER_ONLY",
        tag: "035",
        occurrence: 2,
        subfield: "z",
        message: expect.stringMatching(
          /^field 035 #2 \$z: the only OCLC number is 999, a cancelled or invalid one/,
        ),
      },
    ]);
  });

  it("a current number in 035 $a next to a cancelled one is used", () => {
    const r = rec(
      dataField("035", " ", " ", [
        ["a", "(OCoLC)1000"],
        ["z", "(OCoLC)999"],
      ]),
      title,
    );
    expect(oclcNumberOf(r)).toEqual({ number: "1000", source: "035$a" });
    expect(validate(r, "holdings")).toEqual([]);
  });

  it("the create warning names the 035 occurrence and subfield", () => {
    const r = rec(
      controlField("008", "240131s2024    nyu           000 0 eng d"),
      dataField("040", " ", " ", [["a", "DLC"]]),
      dataField("035", " ", " ", [["a", "(DLC)1"]]),
      dataField("035", " ", " ", [["a", "(OCoLC)42"]]),
      title,
    );
    expect(validate(r, "create")).toEqual([
      expect.objectContaining({ code: "HAS_OCLC_NUMBER", tag: "035", occurrence: 2, subfield: "a" }),
    ]);
  });
});

describe("035 with OCLC's own ocm/ocn/on prefix but no (OCoLC)", () => {
  it.each([
    ["ocm00012345", "12345"],
    ["ocn123456789", "123456789"],
    ["on1234567890", "1234567890"],
  ])("035 $a %s is OCLC number %s", (value, number) => {
    const r = rec(dataField("035", " ", " ", [["a", value]]), title);
    expect(oclcNumberOf(r)).toEqual({ number, source: "035$a" });
    expect(validate(r, "holdings")).toEqual([]);
  });

  it("bare digits or another agency's number in 035 are still not OCLC numbers", () => {
    const r = rec(
      dataField("035", " ", " ", [["a", "12345"]]),
      dataField("035", " ", " ", [["a", "(DLC)ocm1"]]),
    );
    expect(oclcNumberOf(r)).toBeUndefined();
  });
});

describe("005 is a real date", () => {
  const with005 = (v: string) => rec(controlField("005", v), title);
  it.each(["20240229120000.0", "20000229000000.0", "20240430235959.0", "20241231000000.0"])(
    "accepts %s",
    (v) => {
      expect(validate(with005(v))).toEqual([]);
    },
  );
  it.each([
    "20240231120000.0",
    "20230229120000.0",
    "19000229120000.0",
    "20240431000000.0",
    "20240631000000.0",
  ])("rejects %s", (v) => {
    expect(validate(with005(v))).toEqual([
      expect.objectContaining({ severity: "error", code: "BAD_005", tag: "005", occurrence: 1 }),
    ]);
  });
});

function marc(args: string[], stdin: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "nightshift.js"), "marc", ...args], {
      cwd: ROOT,
    });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
    child.stdin.end(stdin);
  });
}

it("nightshift marc validate --profile holdings exits 1 for a record whose only number is in 035 $z", async () => {
  const mrk = "=LDR  00000nam a2200000 a 4500\n=035  \\\\$z(OCoLC)999\n=245  10$aTitle.\n\n";
  const r = await marc(["validate", "-", "--from", "mrk", "--profile", "holdings"], mrk);
  expect(r.stdout).toMatch(
    /^record 1 \(no 001\): error CANCELLED_OCLC_NUMBER_ONLY 035\[1\]\$z field 035 \$z: /m,
  );
  expect(r.code).toBe(1);
});

import { describe, expect, it } from "vitest";
import {
  allOclcNumbers,
  formatOclcNumber,
  InvalidOclcNumberError,
  oclcNumberOf,
  parseOclcNumber,
} from "../src/marc/oclc-number.js";
import { controlField, createRecord, dataField, type Field } from "../src/marc/record.js";

describe("parseOclcNumber", () => {
  it.each([
    ["ocm00012345", "12345"],
    ["ocm12345678", "12345678"],
    ["ocn123456789", "123456789"],
    ["on1234567890", "1234567890"],
    ["(OCoLC)00012345", "12345"],
    ["(OCoLC)ocm00012345", "12345"],
    ["(OCoLC)ocn123456789", "123456789"],
    ["(OCoLC)on1234567890", "1234567890"],
    ["(OCoLC) 814388508", "814388508"],
    ["(ocolc)42", "42"],
    ["OCM00000042", "42"],
    ["00012345", "12345"],
    ["12345", "12345"],
    ["  ocn123456789 \n", "123456789"],
    [" 7 ", "7"],
  ])("accepts %j as %s", (text, digits) => {
    expect(parseOclcNumber(text)).toBe(digits);
  });

  it.each([
    "(DLC)123",
    "(DLC)  2001012345",
    "abc",
    "0",
    "000",
    "ocm",
    "ocm0",
    "",
    "   ",
    "-12",
    "12.5",
    "123 456",
    "12345a",
    "ocx123",
    "(OCoLC)",
    "(OCoLC)abc",
    "(OCoLC)123 (print)",
    "on",
  ])("rejects %j", (text) => {
    expect(parseOclcNumber(text)).toBeUndefined();
  });
});

describe("formatOclcNumber", () => {
  it.each([
    ["12345", "bare", "12345"],
    ["ocm00012345", "bare", "12345"],
    ["12345", "prefixed", "(OCoLC)12345"],
    ["ocn123456789", "prefixed", "(OCoLC)123456789"],
    ["12345", "ocm", "ocm00012345"],
    ["1", "ocm", "ocm00000001"],
    ["99999999", "ocm", "ocm99999999"],
    ["100000000", "ocm", "ocn100000000"],
    ["999999999", "ocm", "ocn999999999"],
    ["1000000000", "ocm", "on1000000000"],
    ["(OCoLC)12345678901", "ocm", "on12345678901"],
  ] as const)("formats %s as %s: %s", (n, style, expected) => {
    expect(formatOclcNumber(n, style)).toBe(expected);
  });

  it("round-trips through every style", () => {
    for (const n of ["1", "12345678", "123456789", "1234567890"]) {
      for (const style of ["bare", "prefixed", "ocm"] as const) {
        expect(parseOclcNumber(formatOclcNumber(n, style))).toBe(n);
      }
    }
  });

  it("throws a typed error naming the input for non-numbers", () => {
    expect(() => formatOclcNumber("(DLC)123", "bare")).toThrow(InvalidOclcNumberError);
    expect(() => formatOclcNumber("0", "ocm")).toThrow(/"0"/);
  });
});

const rec = (...fields: Field[]) => createRecord({ fields });
const oclc035 = (...subs: [string, string][]) => dataField("035", " ", " ", subs);

describe("oclcNumberOf / allOclcNumbers", () => {
  it.each([
    [
      "001 with 003 OCoLC, bare digits",
      rec(controlField("001", "814388508"), controlField("003", "OCoLC")),
      "814388508",
      "001",
    ],
    ["001 ocm prefix, no 003", rec(controlField("001", "ocm00012345")), "12345", "001"],
    [
      "001 on prefix, 003 OCoLC",
      rec(controlField("001", "on1234567890"), controlField("003", "OCoLC")),
      "1234567890",
      "001",
    ],
    [
      "bare 001 without 003 is a local number: falls to 035 $a",
      rec(controlField("001", "991234"), oclc035(["a", "(OCoLC)ocm00000042"])),
      "42",
      "035$a",
    ],
    [
      "001 of another agency: falls to 035 $a",
      rec(controlField("001", "ocm12"), controlField("003", "DLC"), oclc035(["a", "(OCoLC)77"])),
      "77",
      "035$a",
    ],
    [
      "035 $a of other agencies skipped",
      rec(oclc035(["a", "(DLC)123"]), oclc035(["a", "(OCoLC)456"])),
      "456",
      "035$a",
    ],
    [
      "035 $a preferred over an earlier $z",
      rec(oclc035(["z", "(OCoLC)999"]), oclc035(["a", "(OCoLC)1000"])),
      "1000",
      "035$a",
    ],
  ] as const)("%s", (_name, record, number, source) => {
    expect(oclcNumberOf(record)).toEqual({ number, source });
  });

  it.each([
    ["no fields", rec()],
    ["local 001 only", rec(controlField("001", "12345"))],
    ["035 $a without (OCoLC)", rec(oclc035(["a", "12345"]))],
    ["035 $a (OCoLC) with junk", rec(oclc035(["a", "(OCoLC)abc"]))],
    ["001 with 003 OCoLC but not a number", rec(controlField("001", "tmp123"), controlField("003", "OCoLC"))],
    // $z is a cancelled or invalid number: never the record's own (holdings set on it would be wrong).
    ["only a cancelled 035 $z", rec(oclc035(["a", "(CaOTULAS)1"], ["z", "(OCoLC)999"]))],
  ])("finds nothing in a record with %s", (_name, record) => {
    expect(oclcNumberOf(record)).toBeUndefined();
  });

  it("lists every number with its source, each pair once", () => {
    const r = rec(
      controlField("001", "ocn123456789"),
      controlField("003", "OCoLC"),
      oclc035(["a", "(OCoLC)123456789"], ["z", "(OCoLC)11"], ["z", "(OCoLC)ocm00000012"]),
      oclc035(["a", "(OCoLC)ocn123456789"], ["z", "(DLC)13"]),
    );
    expect(allOclcNumbers(r)).toEqual([
      { number: "123456789", source: "001" },
      { number: "123456789", source: "035$a" },
      { number: "11", source: "035$z" },
      { number: "12", source: "035$z" },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { controlField, createRecord, dataField, type Field } from "../src/marc/record.js";
import { VALIDATION_PROFILES, type ValidationProfile, validate } from "../src/marc/validate/index.js";

const F008 = "240131s2024    nyu           000 0 eng d";
const title = dataField("245", "0", "0", [["a", "A title."]]);
const f040 = dataField("040", " ", " ", [
  ["a", "XYZ"],
  ["b", "eng"],
  ["c", "XYZ"],
]);
const rec = (leader: string, ...fields: Field[]) => createRecord({ leader, fields });
const BIB = "00000nam a2200000 a 4500";
/** OCLC's local bibliographic data records leave Leader/06-07 blank and carry no 245. */
const LBD = "00000n   a2200000   4500";

const codes = (fields: Field[], profile: ValidationProfile, leader = BIB) =>
  validate(rec(leader, ...fields), profile).map((i) => `${i.severity} ${i.code}`);

describe("validate, OCLC profiles", () => {
  it("knows every profile by name", () => {
    expect(VALIDATION_PROFILES).toEqual(["structure", "create", "replace", "lbd", "holdings", "lhr"]);
  });

  it.each([
    ["create: a new master record", "create", [controlField("008", F008), f040, title], BIB],
    [
      "create: 001 with a local number is fine",
      "create",
      [controlField("001", "b1234"), controlField("008", F008), f040, title],
      BIB,
    ],
    [
      "replace: 001 bare digits with 005",
      "replace",
      [
        controlField("001", "814388508"),
        controlField("003", "OCoLC"),
        controlField("005", "20240131120000.0"),
        title,
      ],
      BIB,
    ],
    [
      "lbd: 004, 935, 940 and local notes, no 245",
      "lbd",
      [
        controlField("004", "814388508"),
        dataField("500", " ", " ", [["a", "Signed by the author."]]),
        dataField("935", " ", " ", [["a", "lbd-0001"]]),
        dataField("940", " ", " ", [["a", "XYZ"]]),
      ],
      LBD,
    ],
    [
      "holdings: number in 001 (003 OCoLC)",
      "holdings",
      [controlField("001", "42"), controlField("003", "OCoLC"), title],
      BIB,
    ],
    ["holdings: number in 001 (ocn prefix)", "holdings", [controlField("001", "ocn123456789"), title], BIB],
    [
      "holdings: number in 035 $a",
      "holdings",
      [controlField("001", "991"), dataField("035", " ", " ", [["a", "(OCoLC)7"]]), title],
      BIB,
    ],
  ] as const)("clean: %s", (_name, profile, fields, leader) => {
    expect(validate(rec(leader, ...fields), profile)).toEqual([]);
  });

  it.each([
    ["create without 040", "create", [controlField("008", F008), title], ["error MISSING_040"]],
    ["create without 008", "create", [f040, title], ["error MISSING_008"]],
    ["create without 245", "create", [controlField("008", F008), f040], ["error MISSING_245"]],
    [
      "create of a record WorldCat already has",
      "create",
      [controlField("001", "ocm00000042"), controlField("008", F008), f040, title],
      ["warning HAS_OCLC_NUMBER"],
    ],
    [
      "replace without 001",
      "replace",
      [controlField("005", "20240131120000.0"), title],
      ["error MISSING_001"],
    ],
    [
      "replace with a prefixed 001",
      "replace",
      [controlField("001", "ocm00000042"), controlField("005", "20240131120000.0"), title],
      ["error BAD_001"],
    ],
    [
      "replace with 001 zero",
      "replace",
      [controlField("001", "0"), controlField("005", "20240131120000.0"), title],
      ["error BAD_001"],
    ],
    ["replace without 005", "replace", [controlField("001", "42"), title], ["error MISSING_005"]],
    [
      "holdings without any number",
      "holdings",
      [controlField("001", "991"), title],
      ["error MISSING_OCLC_NUMBER"],
    ],
    [
      "holdings with only another agency's 035",
      "holdings",
      [dataField("035", " ", " ", [["a", "(DLC)123"]]), title],
      ["error MISSING_OCLC_NUMBER"],
    ],
    [
      "holdings with only a cancelled number",
      "holdings",
      [dataField("035", " ", " ", [["z", "(OCoLC)99"]]), title],
      ["error CANCELLED_OCLC_NUMBER_ONLY"],
    ],
    [
      "holdings still checks structure",
      "holdings",
      [
        controlField("001", "ocm00000042"),
        dataField("245", "0", "0", [
          ["a", "x"],
          ["a", "y"],
        ]),
      ],
      ["error NON_REPEATABLE_SUBFIELD"],
    ],
  ] as const)("%s", (_name, profile, fields, expected) => {
    expect(codes([...fields], profile)).toEqual(expected);
  });

  it.each([
    ["lbd without anything", [], ["error MISSING_004", "error MISSING_935", "error MISSING_940"]],
    [
      "lbd with a 004 that is not a number",
      [
        controlField("004", "(DLC)1"),
        dataField("935", " ", " ", [["a", "1"]]),
        dataField("940", " ", " ", [["a", "XYZ"]]),
      ],
      ["error BAD_004"],
    ],
  ] as const)("%s", (_name, fields, expected) => {
    expect(codes([...fields], "lbd", LBD)).toEqual(expected);
  });

  it("keeps the structure rules for type and level outside lbd", () => {
    expect(codes([controlField("001", "ocm00000042"), title], "holdings", LBD)).toEqual([
      "error LEADER_POSITION",
      "error LEADER_POSITION",
    ]);
  });

  it("defaults to the structure profile", () => {
    expect(validate(rec(BIB, title))).toEqual(validate(rec(BIB, title), "structure"));
    expect(validate(rec(BIB))).toEqual([expect.objectContaining({ code: "MISSING_245" })]);
  });
});

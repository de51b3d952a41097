import { describe, expect, it } from "vitest";
import { controlField, createRecord, dataField, type Field, type MarcRecord } from "../src/marc/record.js";
import { type ValidationIssue, validate } from "../src/marc/validate/index.js";

const LEADER = "01234cam a2200289 a 4500";
const F008 = "240131s2024    nyu           000 0 eng d";

/** A record that is clean under the structure profile; `change` swaps or adds fields by tag. */
function record(change: { leader?: string; drop?: string[]; add?: Field[]; set?: Field[] } = {}): MarcRecord {
  const fields: Field[] = [
    controlField("001", "814388508"),
    controlField("003", "OCoLC"),
    controlField("005", "20240131235959.0"),
    controlField("008", F008),
    dataField("020", " ", " ", [
      ["a", "9780000000000"],
      ["q", "hardcover"],
      ["q", "alk. paper"],
    ]),
    dataField("040", " ", " ", [
      ["a", "DLC"],
      ["b", "eng"],
      ["c", "DLC"],
      ["d", "OCLCO"],
      ["d", "OCLCF"],
    ]),
    dataField("100", "1", " ", [
      ["a", "Doe, Jane,"],
      ["e", "author."],
    ]),
    dataField("245", "1", "4", [
      ["a", "The title /"],
      ["c", "Jane Doe."],
    ]),
    dataField("264", " ", "1", [
      ["a", "New York :"],
      ["b", "Pub,"],
      ["c", "2024."],
    ]),
    dataField("650", " ", "0", [
      ["a", "Cats"],
      ["v", "Fiction."],
    ]),
    dataField("650", " ", "7", [
      ["a", "Cats."],
      ["2", "fast"],
      ["0", "(OCoLC)fst00849534"],
    ]),
    dataField("880", "1", "0", [
      ["6", "245-01/$1"],
      ["a", "题名 /"],
      ["c", "作者."],
    ]),
    dataField("029", "1", " ", [
      ["a", "AU@"],
      ["b", "000012345"],
    ]),
    dataField("994", " ", " ", [
      ["a", "C0"],
      ["b", "XYZ"],
    ]),
  ];
  let out = fields.filter((f) => !change.drop?.includes(f.tag));
  for (const f of change.set ?? []) out = out.map((g) => (g.tag === f.tag ? f : g));
  out.push(...(change.add ?? []));
  return createRecord({ leader: change.leader ?? LEADER, fields: out });
}

/** A record whose leader is not padded to 24 the way createRecord pads it. */
function withRawLeader(r: MarcRecord, leader: string): MarcRecord {
  return Object.create(r, { leader: { value: leader } }) as MarcRecord;
}

const leaderWith = (pos: number, value: string) =>
  LEADER.slice(0, pos) + value + LEADER.slice(pos + value.length);

type Case = [name: string, record: MarcRecord, expected: Partial<ValidationIssue>[]];

const cases: Case[] = [
  // Leader
  ["leader too short", withRawLeader(record(), "00000nam a22"), [{ code: "LEADER_LENGTH", tag: "LDR" }]],
  ["leader too long", withRawLeader(record(), `${LEADER}x`), [{ code: "LEADER_LENGTH", severity: "error" }]],
  ["Leader/05 status", record({ leader: leaderWith(5, "x") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/06 type", record({ leader: leaderWith(6, "b") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/07 level", record({ leader: leaderWith(7, "q") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/08 control", record({ leader: leaderWith(8, "b") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/09 coding", record({ leader: leaderWith(9, "u") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/10 indicator count", record({ leader: leaderWith(10, "3") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/11 subfield code count", record({ leader: leaderWith(11, "1") }), [{ code: "LEADER_POSITION" }]],
  [
    "Leader/12-16 not digits",
    record({ leader: leaderWith(12, "00x89") }),
    [{ code: "LEADER_POSITION", severity: "error" }],
  ],
  [
    "Leader/12-16 blank",
    record({ leader: leaderWith(12, "     ") }),
    [{ code: "LEADER_POSITION", severity: "warning" }],
  ],
  [
    "Leader/00-04 not digits",
    record({ leader: leaderWith(0, "0x234") }),
    [{ code: "LEADER_POSITION", severity: "warning" }],
  ],
  ["Leader/17 encoding level", record({ leader: leaderWith(17, "9") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/18 cataloging form", record({ leader: leaderWith(18, "x") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/19 multipart level", record({ leader: leaderWith(19, "d") }), [{ code: "LEADER_POSITION" }]],
  ["Leader/20-23 entry map", record({ leader: leaderWith(20, "4510") }), [{ code: "LEADER_POSITION" }]],
  // Control fields
  [
    "001 repeated",
    record({ add: [controlField("001", "2")] }),
    [{ code: "NON_REPEATABLE_FIELD", tag: "001", occurrence: 2 }],
  ],
  [
    "003 repeated",
    record({ add: [controlField("003", "DLC")] }),
    [{ code: "NON_REPEATABLE_FIELD", tag: "003" }],
  ],
  [
    "005 repeated",
    record({ add: [controlField("005", "20240131235959.0")] }),
    [{ code: "NON_REPEATABLE_FIELD", tag: "005" }],
  ],
  [
    "008 repeated",
    record({ add: [controlField("008", F008)] }),
    [{ code: "NON_REPEATABLE_FIELD", tag: "008" }],
  ],
  [
    "005 without tenths",
    record({ set: [controlField("005", "20240131235959")] }),
    [{ code: "BAD_005", tag: "005", occurrence: 1 }],
  ],
  ["005 month 13", record({ set: [controlField("005", "20241331235959.0")] }), [{ code: "BAD_005" }]],
  ["005 hour 24", record({ set: [controlField("005", "20240131245959.0")] }), [{ code: "BAD_005" }]],
  ["005 with letters", record({ set: [controlField("005", "2024013123595a.0")] }), [{ code: "BAD_005" }]],
  [
    "008 too short",
    record({ set: [controlField("008", F008.slice(0, 39))] }),
    [{ code: "BAD_008_LENGTH", tag: "008" }],
  ],
  ["008 too long", record({ set: [controlField("008", `${F008} `)] }), [{ code: "BAD_008_LENGTH" }]],
  [
    "008/06 type of date",
    record({ set: [controlField("008", `${F008.slice(0, 6)}x${F008.slice(7)}`)] }),
    [{ code: "BAD_008_DATE_TYPE" }],
  ],
  [
    "008/00-05 not a date",
    record({ set: [controlField("008", `24-131${F008.slice(6)}`)] }),
    [{ code: "BAD_008_DATE_ENTERED", severity: "warning" }],
  ],
  [
    "008/07-10 not a year",
    record({ set: [controlField("008", `${F008.slice(0, 7)}20x4${F008.slice(11)}`)] }),
    [{ code: "BAD_008_DATE1", severity: "warning" }],
  ],
  // Field level
  ["no 245", record({ drop: ["245", "880"] }), [{ code: "MISSING_245", tag: "245" }]],
  [
    "two 245",
    record({ add: [dataField("245", "0", "0", [["a", "Again."]])] }),
    [{ code: "NON_REPEATABLE_FIELD", tag: "245", occurrence: 2 }],
  ],
  [
    "100 and 110",
    record({ add: [dataField("110", "2", " ", [["a", "Corp."]])] }),
    [{ code: "MULTIPLE_1XX", tag: "110", occurrence: 1 }],
  ],
  [
    "invalid indicator 1",
    record({ set: [dataField("245", "3", "4", [["a", "The title."]])] }),
    [{ code: "INVALID_INDICATOR", tag: "245", occurrence: 1 }],
  ],
  [
    "'#' for a blank indicator",
    record({ add: [dataField("650", "#", "0", [["a", "Cats."]])] }),
    [{ code: "INVALID_INDICATOR", tag: "650", occurrence: 3 }],
  ],
  [
    "empty indicator",
    record({ add: [dataField("500", "", " ", [["a", "Note."]])] }),
    [{ code: "INVALID_INDICATOR", tag: "500" }],
  ],
  [
    "unknown subfield",
    record({
      set: [
        dataField("245", "1", "4", [
          ["a", "The title /"],
          ["z", "zzz"],
        ]),
      ],
    }),
    [{ code: "UNKNOWN_SUBFIELD", tag: "245", occurrence: 1, subfield: "z" }],
  ],
  [
    "non-repeatable subfield repeated (reported once)",
    record({
      set: [
        dataField("245", "1", "4", [
          ["a", "One"],
          ["a", "Two"],
          ["a", "Three"],
        ]),
      ],
    }),
    [{ code: "NON_REPEATABLE_SUBFIELD", tag: "245", subfield: "a" }],
  ],
  [
    "non-repeatable field with the issue in its second occurrence",
    record({
      add: [
        dataField("650", " ", "0", [
          ["a", "Dogs"],
          ["x", "History"],
          ["6", "880-01"],
          ["6", "880-02"],
        ]),
      ],
    }),
    [{ code: "NON_REPEATABLE_SUBFIELD", tag: "650", occurrence: 3, subfield: "6" }],
  ],
  [
    "uppercase subfield code",
    record({ add: [dataField("500", " ", " ", [["A", "Note."]])] }),
    [{ code: "INVALID_SUBFIELD_CODE", tag: "500", subfield: "A" }],
  ],
  [
    "data field without subfields",
    record({ add: [dataField("500", " ", " ", [])] }),
    [{ code: "NO_SUBFIELDS", tag: "500" }],
  ],
  [
    "empty subfield",
    record({ add: [dataField("500", " ", " ", [["a", ""]])] }),
    [{ code: "EMPTY_SUBFIELD", severity: "warning", subfield: "a" }],
  ],
  [
    "880 without $6",
    record({ add: [dataField("880", " ", " ", [["a", "x"]])] }),
    [{ code: "MISSING_880_6", tag: "880", occurrence: 2 }],
  ],
  [
    "880 with a malformed $6",
    record({
      add: [
        dataField("880", " ", " ", [
          ["6", "24501"],
          ["a", "x"],
        ]),
      ],
    }),
    [{ code: "BAD_880_6", severity: "warning" }],
  ],
  [
    "880 checked against its linked field",
    record({
      add: [
        dataField("880", "1", "9", [
          ["6", "100-02"],
          ["a", "x"],
          ["a", "y"],
        ]),
      ],
    }),
    [
      { code: "INVALID_INDICATOR", tag: "880", occurrence: 2 },
      { code: "NON_REPEATABLE_SUBFIELD", tag: "880", occurrence: 2, subfield: "a" },
    ],
  ],
  [
    "control tag as data field",
    record({ add: [dataField("007", " ", " ", [["a", "ta"]])] }),
    [{ code: "WRONG_FIELD_KIND", tag: "007" }],
  ],
  [
    "data tag as control field",
    record({ add: [controlField("500", "Note.")] }),
    [{ code: "WRONG_FIELD_KIND", tag: "500" }],
  ],
  [
    "bad tag",
    record({ add: [dataField("5.0", " ", " ", [["a", "x"]])] }),
    [{ code: "INVALID_TAG", tag: "5.0" }],
  ],
];

describe("validate, structure profile", () => {
  it("finds nothing in a clean record (local 9XX, OCLC 029, 880 and repeated subfields included)", () => {
    expect(validate(record())).toEqual([]);
  });

  it("accepts OCLC encoding levels, blank lengths and unknown local tags", () => {
    const r = record({
      leader: "     cam a2200000Ii 4500",
      add: [
        dataField("949", "x", "y", [
          ["z", "a"],
          ["z", "b"],
        ]),
        dataField("019", " ", " ", [
          ["a", "1"],
          ["a", "2"],
        ]),
      ],
    });
    expect(validate(r)).toEqual([]);
  });

  it.each(cases)("%s", (_name, r, expected) => {
    const issues = validate(r);
    expect(issues).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(issues[i]).toMatchObject({ severity: "error", ...e });
      expect(issues[i].message.length).toBeGreaterThan(10);
      if (issues[i].tag && issues[i].tag !== "LDR") expect(issues[i].message).toContain(issues[i].tag);
    });
  });

  it("names the field, occurrence and subfield in messages", () => {
    const r = record({
      add: [
        dataField("650", "9", "0", [
          ["a", "x"],
          ["q", "y"],
        ]),
      ],
    });
    expect(validate(r).map((i) => i.message)).toEqual([
      'field 650 #3: indicator 1 is "9"; expected one of 0, 1, 2, blank',
      "field 650 #3 $q is not defined for field 650",
    ]);
  });

  it("reports every problem of a badly broken record", () => {
    const r = createRecord({
      leader: "00000nbq a2200000 a 4500",
      fields: [
        controlField("005", "yesterday"),
        controlField("008", "short value"),
        dataField("100", "1", " ", [["a", "A"]]),
        dataField("130", "0", " ", [["a", "B"]]),
        dataField("880", " ", " ", [["a", "C"]]),
      ],
    });
    expect(validate(r).map((i) => i.code)).toEqual([
      "LEADER_POSITION",
      "LEADER_POSITION",
      "BAD_005",
      "BAD_008_LENGTH",
      "BAD_008_DATE_TYPE",
      "BAD_008_DATE_ENTERED",
      "BAD_008_DATE1",
      "MULTIPLE_1XX",
      "MISSING_880_6",
      "MISSING_245",
    ]);
  });

  it.each([
    ["x", "a holdings"],
    ["z", "an authority"],
  ])("reports a Leader/06 %s record once, as %s record, and checks nothing else", (type, kind) => {
    const r = createRecord({
      leader: `00231c${type}  a22001094  4500`,
      fields: [controlField("008", "short")],
    });
    expect(validate(r, "holdings")).toEqual([
      {
        severity: "error",
        code: "NOT_BIBLIOGRAPHIC",
        tag: "LDR",
        message: `Leader/06 is "${type}": this is ${kind} record, not a bibliographic one; not validated further`,
      },
    ]);
  });

  it("forgets each record before the next (counts and subfield marks are reused between calls)", () => {
    const twice = dataField("245", "0", "0", [["a", "x"]]);
    expect(validate(createRecord({ fields: [twice, twice] })).map((i) => i.code)).toEqual([
      "NON_REPEATABLE_FIELD",
    ]);
    expect(validate(createRecord({ fields: [twice] }))).toEqual([]);
    expect(validate(createRecord({ fields: [] })).map((i) => i.code)).toEqual(["MISSING_245"]);
  });

  it("counts occurrences of non-numeric tags too", () => {
    const r = record({ add: [dataField("FMT", " ", " ", [["a", "BK"]]), dataField("5.0", " ", " ", [])] });
    const twice = record({ add: [dataField("5.0", " ", " ", []), dataField("5.0", " ", " ", [])] });
    expect(validate(r)).toEqual([expect.objectContaining({ code: "INVALID_TAG", occurrence: 1 })]);
    expect(validate(twice).map((i) => i.occurrence)).toEqual([1, 2]);
  });
});

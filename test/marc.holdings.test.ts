/** MARC 21 holdings records: building one from a CSV row, reading it back, and the `lhr` validation profile. */
import { describe, expect, it } from "vitest";
import { buildHoldingsRecord, parseSharedPrint, readHoldings } from "../src/marc/holdings.js";
import { controlField, dataField } from "../src/marc/record.js";
import { validate } from "../src/marc/validate/index.js";

const today = new Date("2026-12-02T00:00:00Z");

describe("holdings records", () => {
  it("builds a single-part item record with 004, 008, 852, 583 and 876", () => {
    const r = buildHoldingsRecord(
      {
        oclcNumber: "ocm00012345",
        holdingLocation: "MAIN",
        shelvingLocation: "Stacks",
        callNumber: "QA76 .K5",
        barcode: "3900",
        sharedPrint: "20351231 EAST",
        institutionSymbol: "OCPSB",
      },
      today,
    );
    expect(r.leader[6]).toBe("x");
    expect(r.controlValue("004")).toBe("12345");
    expect(r.controlValue("008")).toHaveLength(32);
    expect(r.controlValue("008")?.slice(0, 6)).toBe("261202");
    expect(readHoldings(r)).toEqual({
      oclcNumber: "12345",
      institutionSymbol: "OCPSB",
      holdingLocation: "MAIN",
      shelvingLocation: "Stacks",
      callNumber: "QA76 .K5",
      barcodes: ["3900"],
      textualHoldings: [],
      commitments: [
        {
          action: "committed to retain",
          dateOfAction: "20261202",
          commitmentExpirationDate: "20351231",
          program: "EAST",
          institutionSymbol: "OCPSB",
          note: undefined,
        },
      ],
    });
    expect(validate(r, "lhr")).toEqual([]);
  });

  it("reads the shared-print column in its forms", () => {
    expect(parseSharedPrint("20351231")).toEqual({ until: "20351231", program: undefined });
    expect(parseSharedPrint("until 20351231, program EAST")).toEqual({ until: "20351231", program: "EAST" });
    expect(parseSharedPrint("soon")).toBeUndefined();
    expect(() => buildHoldingsRecord({ oclcNumber: "1", holdingLocation: "M", sharedPrint: "soon" })).toThrow(
      /no date YYYYMMDD/,
    );
  });

  it("the lhr profile says what is wrong and where", () => {
    const good = buildHoldingsRecord({ oclcNumber: "1", holdingLocation: "MAIN" }, today);
    const codes = (r: typeof good) => validate(r, "lhr").map((i) => `${i.severity}:${i.code}:${i.tag ?? ""}`);
    expect(codes(good.withLeader("00000nam a2200000 a 4500"))).toEqual(["error:NOT_HOLDINGS:LDR"]);
    expect(codes(good.removeFields("004"))).toEqual(["error:MISSING_004:004"]);
    expect(codes(good.replaceFields("004", controlField("004", "abc")))).toEqual(["error:BAD_004:004"]);
    expect(codes(good.replaceFields("008", controlField("008", "short")))).toEqual([
      "error:BAD_008_LENGTH:008",
    ]);
    expect(codes(good.removeFields("852"))).toEqual(["error:MISSING_852:852"]);
    expect(codes(good.replaceFields("852", dataField("852", "9", " ", [["c", "Stacks"]])))).toEqual([
      "error:INVALID_INDICATOR:852",
      "error:MISSING_SUBFIELD:852",
    ]);
    expect(codes(good.addField(dataField("245", "0", "0", [["a", "A title"]])))).toEqual([
      "warning:NOT_HOLDINGS_FIELD:245",
    ]);
    expect(
      codes(
        good.addField(
          dataField("583", "1", " ", [
            ["a", "committed to retain"],
            ["d", "2035"],
          ]),
        ),
      ),
    ).toEqual(["error:BAD_DATE:583"]);
    expect(codes(good.addField(controlField("004", "2")))).toEqual(["error:NON_REPEATABLE_FIELD:004"]);
    // structure-only validation of a holdings record still says it is not bibliographic
    expect(validate(good).map((i) => i.code)).toEqual(["NOT_BIBLIOGRAPHIC"]);
  });
});

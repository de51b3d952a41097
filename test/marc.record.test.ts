import { describe, expect, it } from "vitest";
import { controlField, createRecord, dataField, subfield } from "../src/marc/record.js";

describe("record model", () => {
  const r = createRecord({
    fields: [
      controlField("001", "123"),
      dataField("245", "1", "0", [
        ["a", "Title /"],
        ["c", "Me."],
      ]),
    ],
  });

  it("gets fields and subfields by tag and code", () => {
    expect(r.controlValue("001")).toBe("123");
    expect(subfield(r.get("245")!, "c")).toBe("Me.");
    expect(r.getFields("650")).toEqual([]);
  });

  it("keeps tag order when adding ordered fields and is immutable", () => {
    const r2 = r.addOrderedField(dataField("100", "1", " ", [["a", "Doe, J."]]));
    expect(r2.fields.map((f) => f.tag)).toEqual(["001", "100", "245"]);
    expect(r.fields.length).toBe(2);
    expect(r2.equals(r)).toBe(false);
    expect(r2.removeFields("100").equals(r)).toBe(true);
  });
});

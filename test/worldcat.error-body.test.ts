import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseErrorBody } from "../src/worldcat/error-body.js";
import { WorldCatError } from "../src/worldcat/errors.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/worldcat/${name}`, import.meta.url), "utf8");

describe("OCLC error bodies", () => {
  it("reads the first API's XML error (WS-409)", () => {
    expect(parseErrorBody(fixture("error-ws409.xml"))).toEqual({
      oclcCode: "WS-409",
      message: "Trying to set hold while holding already exists",
      validationErrors: [],
    });
  });

  it("reads oclc:error inside an Atom entry", () => {
    const p = parseErrorBody(fixture("error-atom.xml"));
    expect(p.oclcCode).toBe("CAT-OTHER");
    expect(p.message).toBe("New record required");
  });

  it("reads XML validation detail: field, occurrence, message", () => {
    const p = parseErrorBody(fixture("error-validation.xml"));
    expect(p.oclcCode).toBe("CAT-VALIDATION");
    expect(p.validationErrors).toEqual([
      { field: "245", occurrence: 1, message: "245 $a is required", type: "variable field" },
      { field: "008", occurrence: 1, message: "Invalid value in Date1", type: "fixed field" },
      {
        field: undefined,
        occurrence: undefined,
        message: "Record does not have a 040 field",
        type: "record",
      },
    ]);
  });

  it("reads the 2.0 JSON 400 with invalid-params", () => {
    const p = parseErrorBody(fixture("error-400.json"));
    expect(p.oclcCode).toBe("INVALID_QUERY_PARAMETER_VALUE");
    expect(p.message).toBe("Validation Failure: Parameter oclcNumbers accepts at most 10 numbers");
    expect(p.validationErrors).toEqual([{ field: "oclcNumbers", message: "size must be between 1 and 10" }]);
  });

  it("reads 401 {message}", () => {
    expect(parseErrorBody(fixture("error-401.json"))).toEqual({
      oclcCode: undefined,
      message: "Unauthorized",
      validationErrors: [],
    });
  });

  it("reads 404 with a detail object", () => {
    const p = parseErrorBody(fixture("error-404.json"));
    expect(p.oclcCode).toBe("NOT_FOUND");
    expect(p.message).toBe("Unable to perform the lookup: Record 99999999999 was not found");
  });

  it("reads 406 and 409", () => {
    expect(parseErrorBody(fixture("error-406.json")).oclcCode).toBe("NOT_ACCEPTABLE");
    const c = parseErrorBody(fixture("error-409.json"));
    expect(c.oclcCode).toBe("CONFLICT");
    expect(c.message).toContain("005");
  });

  it("reads both token server shapes", () => {
    expect(parseErrorBody(fixture("error-token-403.json")).message).toBe("Invalid scope(s): WMS_ACQ");
    expect(parseErrorBody(fixture("error-token-legacy.json"))).toEqual({
      oclcCode: "unauthorized_client",
      message: "unauthorized_client",
      validationErrors: [],
    });
  });

  it("reads a 2.0 validation result with field errors", () => {
    const p = parseErrorBody(fixture("validate-invalid.json"));
    expect(p.oclcCode).toBe("NOT_VALID");
    expect(p.validationErrors.map((v) => [v.field, v.occurrence, v.message])).toEqual([
      ["008", undefined, "Invalid code in Date1"],
      ["650", 2, "Invalid indicator 2"],
    ]);
  });

  it("falls back to the WWW-Authenticate header and to plain text", () => {
    expect(parseErrorBody("", 'WSKeyV2 error="invalid_token" error_description="token expired"')).toEqual({
      oclcCode: "invalid_token",
      message: "token expired",
      validationErrors: [],
    });
    expect(parseErrorBody("Service Unavailable").message).toBe("Service Unavailable");
    expect(parseErrorBody("<html><broken").message).toBe("<html><broken");
  });
});

describe("WorldCatError", () => {
  it("carries status, code and validation errors in data and message", () => {
    const err = new WorldCatError({
      status: 409,
      oclcCode: "WS-409",
      message: "already held",
      validationErrors: [{ field: "245", occurrence: 1, message: "missing $a" }],
      method: "POST",
      url: "https://worldcat.org/ih/data?oclcNumber=1",
    });
    expect(err.status).toBe(409);
    expect(err.oclcCode).toBe("WS-409");
    expect(err.validationErrors).toHaveLength(1);
    expect(err.message).toBe(
      "POST https://worldcat.org/ih/data?oclcNumber=1: HTTP 409 WS-409: already held (245[1]: missing $a)",
    );
  });
});

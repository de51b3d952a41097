import { expect, it } from "vitest";
import { coerceError } from "../src/errors.js";

it("coerceError turns anything thrown into an Error with a message, and never throws itself", () => {
  const cyclic: Record<string, unknown> = Object.create(null);
  cyclic.self = cyclic;
  const cases: [unknown, string][] = [
    ["plain text", "plain text"],
    [{ code: 7 }, '{"code":7}'],
    [undefined, "undefined"],
    [10n, "10"],
    [Symbol("s"), "Symbol(s)"],
    [cyclic, "a thrown object that cannot be shown"],
  ];
  for (const [thrown, message] of cases) expect(coerceError(thrown).message).toBe(message);
  const err = new TypeError("kept");
  expect(coerceError(err)).toBe(err);
});

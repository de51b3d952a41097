import { expect, it } from "vitest";
import { matchKey } from "../src/marc/match-key.js";

it("reduces text for matching: no diacritics, lower case, one space between words", () => {
  expect(matchKey("Über  die Natur:")).toBe("uber die natur");
  expect(matchKey("  Pride & prejudice / ")).toBe("pride prejudice");
  expect(matchKey("Ἰλιάς")).toBe("ιλιας");
});

import { expect, it } from "vitest";
import { createMasker } from "../src/engine/process-log.js";

it("masks every secret value, the longest first, even very short ones", () => {
  const mask = createMasker(["hunter2", "hunter2-extended", "k9", ""]);
  expect(mask("password hunter2-extended then hunter2 and k9")).toBe(
    "password ******** then ******** and ********",
  );
  expect(mask("nothing secret here")).toBe("nothing secret here");
});

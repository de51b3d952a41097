/** Review: `nightshift scripts --json` never prints a secret parameter's default (REST hides it too). */
import { expect, it } from "vitest";
import { describe as describeScript } from "../src/cli/commands/scripts.js";
import { defineScript } from "../src/engine/script.js";

it("a secret parameter's default is not shown", () => {
  const script = defineScript({
    name: "with-secret",
    description: "has a secret with a default",
    parameters: [
      {
        name: "-k",
        nameLong: "--key",
        type: "string",
        description: "API key",
        secret: true,
        default: "s3cr3t-default",
      },
    ],
    run: async () => {},
  });
  const text = JSON.stringify(describeScript(script));
  expect(text).not.toContain("s3cr3t-default");
  expect(describeScript(script).parameters[0]).toMatchObject({ nameLong: "--key", secret: true });
});

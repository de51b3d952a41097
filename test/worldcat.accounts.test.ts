import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accountLabel, describeAccount, parseRateLimit, resolveAccount } from "../src/worldcat/accounts.js";
import { AccountConfigError } from "../src/worldcat/errors.js";
import { redact } from "../src/worldcat/redact.js";

const env = { WEEDING_KEY: "wskey-123", WEEDING_SECRET: "s3cr3t-from-env" };

const accounts = {
  "weeding-2026": {
    auth: "token",
    key: "env:WEEDING_KEY",
    secret: "env:WEEDING_SECRET",
    registryId: "128807",
    symbol: "OCPSB",
    principalID: "8eaa9f92-abc",
    principalIDNS: "urn:oclc:wms:da",
    scopes: ["WorldCatMetadataAPI"],
    rateLimit: "20/s",
  },
  sandbox: {
    key: "demo",
    secret: "env:WEEDING_SECRET",
    sandboxUrl: "http://127.0.0.1:9999/",
    rateLimit: "600/min",
  },
  inline: { key: "k", secret: "plain-secret-value" },
};

describe("service accounts", () => {
  it("resolves the issue's example with real WorldCat hosts by default", async () => {
    const a = await resolveAccount(accounts, "weeding-2026", env);
    expect(a).toMatchObject({
      name: "weeding-2026",
      auth: "token",
      key: "wskey-123",
      secret: "s3cr3t-from-env",
      registryId: "128807",
      symbol: "OCPSB",
      scopes: ["WorldCatMetadataAPI"],
      sandbox: false,
      concurrency: 8, // issue 6: "per account default 8"
      rateLimit: { perSecond: 20, burst: 20 },
      baseUrls: {
        metadata: "https://metadata.api.oclc.org/worldcat",
        oauth: "https://oauth.oclc.org",
        authn: "https://authn.sd00.worldcat.org",
        worldcat: "https://worldcat.org",
      },
    });
    expect(accountLabel(a)).toBe("weeding-2026");
    expect(JSON.stringify(describeAccount(a))).not.toContain("s3cr3t");
    expect(redact("oops s3cr3t-from-env leaked")).toBe("oops [REDACTED] leaked");
  });

  it("points every base URL at sandboxUrl and labels the account SANDBOX", async () => {
    const a = await resolveAccount(accounts, "sandbox", env);
    expect(a.baseUrls).toEqual({
      metadata: "http://127.0.0.1:9999/worldcat",
      oauth: "http://127.0.0.1:9999",
      authn: "http://127.0.0.1:9999",
      worldcat: "http://127.0.0.1:9999",
    });
    expect(a.sandbox).toBe(true);
    expect(accountLabel(a)).toBe("sandbox [SANDBOX]");
    expect(a.rateLimit).toEqual({ perSecond: 10, burst: 10 });
  });

  it("reads file: secrets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ns-acc-"));
    writeFileSync(join(dir, "secret.txt"), "file-secret-xyz\n");
    const a = await resolveAccount({ f: { key: "k", secret: "file:secret.txt" } }, "f", {}, dir);
    expect(a.secret).toBe("file-secret-xyz");
  });

  it("refuses an inline secret, naming the account but not the value", async () => {
    const err = await resolveAccount(accounts, "inline", env).catch((e) => e);
    expect(err).toBeInstanceOf(AccountConfigError);
    expect(err.message).toContain("account 'inline'");
    expect(err.message).toContain("inline secrets are not allowed");
    expect(err.message).not.toContain("plain-secret-value");
  });

  it("names missing accounts, unset variables and bad values", async () => {
    await expect(resolveAccount(accounts, "nope", env)).rejects.toThrow(
      /account 'nope'.*known: weeding-2026, sandbox, inline/,
    );
    await expect(resolveAccount(accounts, "weeding-2026", {})).rejects.toThrow(/WEEDING_KEY is not set/);
    await expect(
      resolveAccount({ x: { key: "k", secret: "env:S", auth: "basic" } }, "x", { S: "v" }),
    ).rejects.toThrow(/account 'x': auth: must be token or hmac/);
    expect(() => parseRateLimit("fast", "x")).toThrow(/rateLimit/);
    expect(parseRateLimit("3600/h")).toEqual({ perSecond: 1, burst: 1 });
  });
});

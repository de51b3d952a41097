/** The client against the real sandbox over HTTP: every endpoint of both APIs, both auth modes, faults. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlField, createRecord, dataField, type MarcRecord } from "../src/marc/record.js";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { createWorldCatClient, type WorldCatClient } from "../src/worldcat/client.js";
import { OutcomeUnknownError, WorldCatError } from "../src/worldcat/errors.js";
import { probeAccount } from "../src/worldcat/probe.js";
import { sandboxAccount } from "./fixtures/worldcat/sandbox-account.js";

let sandbox: Sandbox;
const clients: WorldCatClient[] = [];
const waits: number[] = [];

async function clientFor(
  index: number,
  auth: "token" | "hmac" = "token",
  extra: Record<string, unknown> = {},
) {
  const acct = sandbox.accounts[index];
  const account = await sandboxAccount(sandbox, { index, name: `sandbox-${index}-${auth}`, auth, extra });
  const client = createWorldCatClient(account, {
    sleep: async (ms) => void waits.push(ms),
    holdingLibraryCode: acct.holdingCodes[0].code,
    timeouts: { readMs: 3_000 },
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 50, rngSeed: 11, enableControl: true, timeoutHoldMs: 1_000 });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sandbox.close();
});

function newBib(from: MarcRecord, title: string): MarcRecord {
  return from
    .removeFields("001", "003", "005", "035")
    .replaceFields("245", dataField("245", "1", "0", [["a", title]]));
}

describe("Metadata API 2.0 against the sandbox", () => {
  it("reads, validates, creates, replaces, checks current numbers and matches", async () => {
    const wc = await clientFor(0);
    expect(wc.label).toMatch(/\[SANDBOX]$/);
    const r = await wc.bibs.read(100000001);
    expect(r.controlValue("001")).toMatch(/100000001$/);
    expect((await wc.bibs.validate(r, "validateReplace")).valid).toBe(true);
    const broken = await wc.bibs.validate(r.removeFields("245"), "validateFull");
    expect(broken.valid).toBe(false);
    expect(broken.errors.length).toBeGreaterThan(0);

    const created = await wc.bibs.create(newBib(r, "Nightshift client test title"));
    const ocn = created.controlValue("001");
    expect(ocn).toBeTruthy();
    const replaced = await wc.bibs.replace(created.addField(dataField("500", " ", " ", [["a", "A note."]])));
    expect(replaced.getFields("500").length).toBeGreaterThan(0);
    const stale = await wc.bibs.replace(created).catch((e) => e);
    expect(stale).toBeInstanceOf(WorldCatError);
    expect(stale.status).toBe(409);

    const current = await wc.bibs.current([100000001, 100000002]);
    expect(current.map((c) => c.requested)).toEqual(["100000001", "100000002"]);
    const match = await wc.bibs.match(r);
    expect(match.briefRecords.some((b) => String(b.oclcNumber) === "100000001")).toBe(true);
  });

  it("sets, checks and unsets holdings by number and by record; lists codes", async () => {
    const wc = await clientFor(0);
    expect((await wc.holdings.set(100000003)).success).toBe(true);
    expect((await wc.holdings.current([100000003]))[0].holdingSet).toBe(true);
    await wc.holdings.unset(100000003);
    expect((await wc.holdings.current([100000003]))[0].holdingSet).toBe(false);
    const rec = await wc.bibs.read(100000004);
    await wc.holdings.setForRecord(rec);
    expect((await wc.holdings.current([100000004]))[0].holdingSet).toBe(true);
    await wc.holdings.unsetForRecord(rec);
    expect((await wc.holdings.codes()).map((c) => c.code)).toEqual(
      sandbox.accounts[0].holdingCodes.map((c) => c.code),
    );
  });

  it("creates, reads, replaces and deletes local bib data; searches brief bibs", async () => {
    const wc = await clientFor(0);
    await wc.holdings.set(100000005);
    const lbd = createRecord({
      leader: "00000n   a2200000   4500",
      fields: [
        controlField("004", "100000005"),
        dataField("500", " ", " ", [["a", "Local note"]]),
        dataField("935", " ", " ", [["a", `ns-${Date.now()}`]]),
        dataField("940", " ", " ", [["a", sandbox.accounts[0].symbol]]),
      ],
    });
    const created = await wc.lbds.create(lbd);
    const id = created.controlValue("001")!;
    expect((await wc.lbds.read(id)).getFields("500")).toHaveLength(1);
    const replaced = await wc.lbds.replace(id, created.addField(dataField("590", " ", " ", [["a", "x"]])));
    expect(replaced.getFields("590")).toHaveLength(1);
    await wc.lbds.delete(id);
    expect(await wc.lbds.read(id).catch((e) => e.status)).toBe(404);

    const title = (await wc.bibs.read(100000001)).title()!.replace(/\s*\/$/, "");
    const found = await wc.search.briefBibs({ q: `ti:${title}`, limit: 10 });
    expect(found.briefRecords.map((b) => String(b.oclcNumber))).toContain("100000001");
    expect(String((await wc.search.briefBib(100000001)).oclcNumber)).toBe("100000001");
  });
});

describe("first API against the sandbox", () => {
  for (const auth of ["token", "hmac"] as const) {
    it(`reads, validates, updates, creates bibs (auth: ${auth})`, async () => {
      const wc = await clientFor(0, auth);
      const r = await wc.first.bibs.read("ocm100000006");
      expect(r.controlValue("001")).toMatch(/100000006/);
      expect((await wc.first.bibs.validate(r, "validateReplace")).valid).toBe(true);
      const updated = await wc.first.bibs.update(
        r.addField(dataField("500", " ", " ", [["a", `via ${auth}`]])),
      );
      expect(updated.controlValue("005")).not.toBe(r.controlValue("005"));
      const created = await wc.first.bibs.create(newBib(r, `First API ${auth} create`));
      expect(created.controlValue("001")).toBeTruthy();
    });
  }

  it("sets and unsets holdings with WS-409 when already set; lists holding libraries; LBD CRUD", async () => {
    const wc = await clientFor(0, "hmac");
    await wc.first.holdings.set(100000007);
    const again = await wc.first.holdings.set(100000007).catch((e) => e);
    expect([again.status, again.oclcCode]).toEqual([409, "WS-409"]);
    await wc.first.holdings.unset(100000007);
    expect((await wc.first.holdings.libraries()).map((c) => c.code)).toEqual(
      sandbox.accounts[0].holdingCodes.map((c) => c.code),
    );

    await wc.first.holdings.set(100000013);
    const created = await wc.first.lbds.create(
      createRecord({
        leader: "00000n   a2200000   4500",
        fields: [
          controlField("004", "100000013"),
          dataField("935", " ", " ", [["a", `first-${Date.now()}`]]),
          dataField("940", " ", " ", [["a", sandbox.accounts[0].symbol]]),
        ],
      }),
    );
    const id = created.controlValue("001")!;
    const read = await wc.first.lbds.read(id);
    const updated = await wc.first.lbds.update(read.addField(dataField("500", " ", " ", [["a", "n"]])));
    expect(updated.getFields("500")).toHaveLength(1);
    await wc.first.lbds.delete(id);
  });
});

describe("resilience against the sandbox", () => {
  it("retries injected 503s honouring Retry-After", async () => {
    const wc = await clientFor(0);
    await wc.bibs.read(100000009); // token fetched
    waits.length = 0;
    sandbox.injectFaults([{ status: 503, retryAfter: 2, path: "/manage/bibs/100000009", times: 2 }]);
    expect((await wc.bibs.read(100000009)).controlValue("001")).toMatch(/100000009/);
    expect(waits).toEqual([2000, 2000]);
  });

  it("reports a create lost after being applied as outcome unknown, sent once", async () => {
    const wc = await clientFor(0);
    const r = await wc.bibs.read(100000010);
    const before = sandbox.state.creations.length;
    sandbox.injectFaults([{ timeout: "after", path: "/manage/bibs", method: "POST" }]);
    const err = await wc.bibs.create(newBib(r, "Lost create")).catch((e) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(sandbox.state.creations.length).toBe(before + 1); // it did happen: the caller must check first
  });

  it("refreshes an expired token once and carries on", async () => {
    const wc = await clientFor(0);
    await wc.bibs.read(100000011);
    const first = (await wc.token()).value;
    sandbox.advanceClock(1300); // past the token lifetime on the server's clock only
    await wc.bibs.read(100000011);
    expect((await wc.token()).value).not.toBe(first);
  });
});

describe("permission probe against the sandbox", () => {
  it("tells a full account from a holdings-only and a search-only one", async () => {
    const full = await probeAccount(await clientFor(0));
    expect(full.tokenError).toBeUndefined();
    expect(full.results.filter((r) => r.verdict !== "yes")).toEqual([]);

    const holdingsOnly = await probeAccount(await clientFor(1));
    const verdict = (report: typeof full, op: string) =>
      report.results.find((r) => r.operation === op)?.verdict;
    expect(verdict(holdingsOnly, "set holdings")).toBe("yes");
    expect(verdict(holdingsOnly, "read holdings")).toBe("yes");
    expect(verdict(holdingsOnly, "replace bibs")).toBe("no");
    expect(verdict(holdingsOnly, "create bibs")).toBe("no");
    expect(holdingsOnly.results.find((r) => r.operation === "replace bibs")?.evidence).toMatch(/HTTP 403/);

    const searchOnly = await probeAccount(await clientFor(2));
    expect(verdict(searchOnly, "search brief bibs")).toBe("yes");
    expect(verdict(searchOnly, "set holdings")).toBe("no");
  });

  it("reports a bad secret as a token failure without printing it", async () => {
    const wc = await clientFor(0, "token", { key: sandbox.accounts[0].key });
    const bad = createWorldCatClient(
      { ...wc.account, secret: "wrong-secret-value" },
      { sleep: async () => {} },
    );
    clients.push(bad);
    const report = await probeAccount(bad);
    expect(report.tokenError).toMatch(/401/);
    expect(JSON.stringify(report)).not.toContain("wrong-secret-value");
  });
});

/**
 * "Nothing lost or done twice, whatever crashes" for worldcat-holdings and worldcat-lbd (create, delete):
 * seeded kill points and fault mixes; a real `nightshift worker` killed mid-batch once or twice, resumed,
 * then the failures file re-run until none is left. After everything the sandbox holds exactly the intended
 * state, each report has every item once, summaries add up, and the unsettled-writes register is empty.
 */
import { expect, it } from "vitest";
import { resolveAccount } from "../src/worldcat/accounts.js";
import { createWorldCatClient } from "../src/worldcat/client.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { lbdRecord } from "./fixtures/worldcat-scripts/lbds.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { crashResumeChain, rng } from "./review2.batch-crash.helpers.js";

const CASES = Number(process.env.REVIEW2_CASES ?? 1);
const FIRST_SEED = Number(process.env.REVIEW2_SEED ?? 31);

async function faultyHarness(seed: number): Promise<Harness> {
  const r = rng(seed * 7);
  return startHarness({
    dispatch: false,
    sandbox: {
      seed: 1000,
      rngSeed: seed,
      latencyMs: 3,
      jitterMs: 3,
      errorRates: { 500: 0.02 + r() * 0.04 },
      timeoutRate: 0.02 + r() * 0.04,
      timeoutHoldMs: 200,
    },
  });
}

const killPoints = (r: () => number, most: number) =>
  Array.from({ length: 1 + Math.floor(r() * 2) }, () => 1 + Math.floor(r() * most));

const unsettled = (h: Harness) => h.engine.store.db.selectFrom("unsettled_writes").selectAll().execute();

for (let c = 0; c < CASES; c++) {
  const seed = FIRST_SEED + c;

  it(`holdings set, seed ${seed}: killed mid-batch, resumed, failures re-run: every number held`, async () => {
    const h = await faultyHarness(seed);
    try {
      const r = rng(seed);
      const numbers = Array.from({ length: 80 }, (_, i) => String(100_000_001 + i * 3));
      const input = h.file("n.txt", `${numbers.join("\n")}\n`);
      h.sandbox.injectFaults([{ status: 429, retryAfter: 1, times: 3, path: "/holdings" }]);
      const chain = await crashResumeChain(
        h,
        "worldcat-holdings",
        ["-a", "set"],
        "n.txt",
        input,
        killPoints(r, 90),
        numbers,
      );
      expect([...chain.last.values()].filter((x) => x.outcome !== "ok" && x.outcome !== "skipped")).toEqual(
        [],
      );
      const symbol = h.sandbox.accounts[0].symbol;
      const notHeld = numbers.filter(
        (n) => !h.sandbox.state.isHeld(symbol, h.sandbox.state.bibs.current(Number(n)) ?? -1),
      );
      expect(notHeld).toEqual([]);
      expect(await unsettled(h)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it(`lbd create, seed ${seed}: killed mid-batch, resumed, failures re-run: one LBD per 935`, async () => {
    const h = await faultyHarness(seed);
    try {
      const r = rng(seed + 1000);
      const wc = createWorldCatClient(await resolveAccount(h.config.accounts, "sandbox", h.env));
      const recs = Array.from({ length: 30 }, (_, i) => lbdRecord(wc, 100_000_001 + i, `k${i + 1}`));
      wc.close();
      const input = writeIso2709(h.file("lbd.mrc", ""), recs);
      const keys = recs.map((_, i) => String(i + 1));
      const chain = await crashResumeChain(
        h,
        "worldcat-lbd",
        ["-a", "create"],
        "lbd.mrc",
        input,
        killPoints(r, 40),
        keys,
        (_, p) => `record ${p}`,
      );
      expect([...chain.last.values()].filter((x) => x.outcome !== "ok")).toEqual([]);
      const localIds = [...h.sandbox.state.lbds.values()].map((l) => l.localId).sort();
      expect(localIds).toEqual(recs.map((_, i) => `(NSHLBD)k${i + 1}`).sort());
      expect(await unsettled(h)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it(`lbd delete, seed ${seed}: killed mid-batch, resumed, failures re-run: every LBD gone, each reported ok`, async () => {
    const h = await faultyHarness(seed);
    try {
      const r = rng(seed + 2000);
      const ids: string[] = [];
      // Made in the sandbox before faults matter: through its own client, retried on an injected fault.
      const wc = createWorldCatClient(await resolveAccount(h.config.accounts, "sandbox", h.env));
      for (let i = 0; i < 30; i++) {
        for (;;) {
          try {
            ids.push(
              (await wc.lbds.create(lbdRecord(wc, 100_000_001 + i, `d${i}`))).controlValue("001") ?? "",
            );
            break;
          } catch {
            const have = [...h.sandbox.state.lbds.values()].find((l) => l.localId === `(NSHLBD)d${i}`);
            if (have) {
              ids.push(String(have.id));
              break;
            }
          }
        }
      }
      wc.close();
      const input = h.file("ids.txt", `${ids.join("\n")}\n`);
      const chain = await crashResumeChain(
        h,
        "worldcat-lbd",
        ["-a", "delete"],
        "ids.txt",
        input,
        killPoints(r, 40),
        ids,
      );
      expect([...chain.last.values()].filter((x) => x.outcome !== "ok")).toEqual([]);
      expect(h.sandbox.state.lbds.size).toBe(0);
      expect(await unsettled(h)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
}

/**
 * "Nothing lost or done twice, whatever crashes" for worldcat-bibs create: a property-style loop over seeded
 * kill points and fault mixes (500s, timeouts before and after applying, a 429 burst). Each case kills a real
 * `nightshift worker` once or twice mid-batch, resumes, then re-runs the failures file until none is left.
 * After everything: every record exists exactly once in WorldCat under the number reported for it, every
 * item is in each report once, summaries add up, and the unsettled-writes register is empty.
 */
import { expect, it } from "vitest";
import { startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { crashResumeChain, rng } from "./review2.batch-crash.helpers.js";

const CASES = Number(process.env.REVIEW2_CASES ?? 2);
const FIRST_SEED = Number(process.env.REVIEW2_SEED ?? 11);

for (let c = 0; c < CASES; c++) {
  const seed = FIRST_SEED + c;
  it(`create, seed ${seed}: killed mid-batch, resumed, failures re-run: each record exactly once`, async () => {
    const r = rng(seed);
    const h = await startHarness({
      dispatch: false,
      sandbox: {
        rngSeed: seed,
        latencyMs: 3,
        jitterMs: 3,
        errorRates: { 500: 0.02 + r() * 0.04 },
        timeoutRate: 0.02 + r() * 0.04,
        timeoutHoldMs: 200,
      },
    });
    try {
      const N = 40;
      // Titles "number 1" .. "number 40": many prefix one another; half have no local id to be found by.
      const recs = Array.from({ length: N }, (_, i) => newRecord(i + 1, { localId: r() < 0.5 }));
      const input = writeIso2709(h.file("new.mrc", ""), recs);
      h.sandbox.injectFaults([{ status: 429, retryAfter: 1, times: 3, path: "/manage/bibs" }]);
      const kills = Array.from({ length: 1 + Math.floor(r() * 2) }, () => 1 + Math.floor(r() * 60));
      const ids = recs.map((_, i) => String(i + 1));
      const chain = await crashResumeChain(
        h,
        "worldcat-bibs",
        ["-a", "create"],
        "new.mrc",
        input,
        kills,
        ids,
        (_, p) => `record ${p}`,
      );
      const last = [...chain.last.values()];
      expect(last.filter((x) => x.outcome !== "ok")).toEqual([]);
      // Zero duplicates, nothing lost: one creation per record, under the number reported for it.
      const counts = h.sandbox.state.snapshot().createCounts as Record<string, number>;
      expect(Object.values(counts).filter((n) => n !== 1)).toEqual([]);
      expect(Object.keys(counts).length).toBe(N);
      const numbers = ids.map((id) => chain.last.get(id)?.current ?? "");
      expect(new Set(numbers).size).toBe(N);
      for (const [i, n] of numbers.entries())
        expect(h.sandbox.state.bibs.get(Number(n))?.record.title()).toBe(recs[i].title());
      expect(await h.engine.store.db.selectFrom("unsettled_writes").selectAll().execute()).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
}

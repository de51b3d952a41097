/**
 * worldcat-holdings --action move: the institution's holding, LBD and LHRs go from record A to record B
 * (POST /manage/institution/holdings/move). WorldCat does the move later, so an item is ok only once
 * holdings/current shows A unheld and B held; until then it is polled (every second, up to a limit). The
 * move is in the unsettled-writes register: an item an earlier run (or process) may have sent is checked
 * through holdings/current first and not sent again when the move already shows there.
 */
import { createReadStream } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { csvRow, parseCsv } from "../../batch/csv.js";
import { createTextSink } from "../../batch/file-sink.js";
import type { BatchSource, ItemResult, SourceEntry } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import { sniffTextLayout } from "../../batch/text-input.js";
import type { UnsettledWrites } from "../../engine/unsettled-writes.js";
import { parseOclcNumber } from "../../marc/index.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { isAnswer, resultOfError } from "./item-error.js";
import { registeredWrite } from "./write-key.js";

export interface Move {
  readonly from: string;
  readonly to: string;
}

/** One move given on the command line. */
export function singleMove(from: string, to: string): BatchSource<Move, string> {
  return {
    format: "text",
    count: async () => 1,
    entries: async function* () {
      const a = parseOclcNumber(from);
      const b = parseOclcNumber(to);
      const raw = `${from},${to}`;
      if (!a || !b)
        yield {
          position: 1,
          inputId: raw,
          raw,
          invalid: `--from-number/--to-number: not an OCLC number: ${!a ? from : to}`,
        };
      else yield { position: 1, inputId: raw, raw, oclcNumber: a, payload: { from: a, to: b } };
    },
    failures: textFailures(),
  };
}

function textFailures() {
  return {
    extension: "csv",
    open(path: string) {
      const sink = createTextSink(path);
      return { write: (raw: string) => sink.write(`${raw}\r\n`), close: () => sink.close() };
    },
  };
}

/** Two columns: from and to (a header `from,to` / `source,target` is skipped). */
export function moveCsvSource(path: string, name: string): BatchSource<Move, string> {
  return {
    format: "csv",
    entries: async function* (): AsyncGenerator<SourceEntry<Move, string>> {
      let position = 0;
      let first = true;
      for await (const rec of parseCsv(createReadStream(path), await sniffTextLayout(path))) {
        const cells = rec.fields.map((f) => f.trim());
        if (cells.every((c) => c === "")) continue;
        if (first) {
          first = false;
          if (!rec.error && parseOclcNumber(cells[0] ?? "") === undefined) continue; // a header
        }
        position++;
        const raw = csvRow(rec.fields).replace(/\r\n$/, "");
        const inputId = `${cells[0] ?? ""}->${cells[1] ?? ""}`;
        const where = `${name} line ${rec.line}`;
        const a = parseOclcNumber(cells[0] ?? "");
        const b = parseOclcNumber(cells[1] ?? "");
        if (rec.error) yield { position, inputId, raw, invalid: `${name} ${rec.error}` };
        else if (!a)
          yield {
            position,
            inputId,
            raw,
            invalid: `${where}, column 1 (from): not an OCLC number: ${JSON.stringify(cells[0] ?? "")}`,
          };
        else if (!b)
          yield {
            position,
            inputId,
            raw,
            invalid: `${where}, column 2 (to): not an OCLC number: ${JSON.stringify(cells[1] ?? "")}`,
          };
        else yield { position, inputId, raw, oclcNumber: a, payload: { from: a, to: b } };
      }
    },
    failures: textFailures(),
  };
}

export interface MovePlan {
  readonly writes?: UnsettledWrites;
  /** How long to wait for holdings/current to show the move (ms). */
  readonly confirmMs: number;
  readonly pollMs: number;
}

async function moved(
  wc: WorldCatClient,
  m: Move,
  signal: AbortSignal,
): Promise<{ from?: boolean; to?: boolean; toCurrent?: string }> {
  const status = await wc.holdings.current([m.from, m.to], signal);
  const of = (n: string) => status.find((s) => String(s.requestedControlNumber) === n);
  return {
    from: of(m.from)?.holdingSet,
    to: of(m.to)?.holdingSet,
    toCurrent: of(m.to)?.currentControlNumber,
  };
}

export function moveHandler(wc: WorldCatClient, plan: MovePlan) {
  return async (item: BatchItem<Move, string>, env: HandlerEnv): Promise<ItemResult> => {
    const m = item.payload;
    const known = { requested: m.from, current: m.to, action: "move" };
    try {
      const before = await moved(wc, m, env.signal);
      if (before.from === undefined || before.to === undefined)
        return {
          ...known,
          outcome: "failed",
          oclcCode: "NOT_FOUND",
          message: `${before.from === undefined ? m.from : m.to} is not in WorldCat`,
        };
      if (env.dryRun)
        return {
          ...known,
          outcome: "skipped",
          oclcCode: "DRY_RUN",
          message: `dry run: would move holdings, LBD and LHRs from ${m.from} to ${m.to}`,
        };
      const write = registeredWrite(plan.writes, wc, "move-holdings", `${m.from}:${m.to}`);
      const unsettled = (await write?.unsettled()) ?? false;
      await write?.begin();
      if ((item.maybeAttempted || unsettled) && before.from === false && before.to === true) {
        await write?.settle();
        return {
          ...known,
          outcome: "ok",
          action: "move (already applied)",
          message: `holdings already moved from ${m.from} to ${m.to} (holdings/current)`,
        };
      }
      try {
        await wc.holdings.move(m.from, m.to, env.signal);
      } catch (err) {
        if (isAnswer(err, 409) || isAnswer(err, 404) || isAnswer(err, 400)) await write?.settle();
        throw err;
      }
      const deadline = Date.now() + plan.confirmMs;
      for (;;) {
        const now = await moved(wc, m, env.signal);
        if (now.from === false && now.to === true) {
          await write?.settle();
          return {
            ...known,
            outcome: "ok",
            message: `holdings, LBD and LHRs moved from ${m.from} to ${m.to}; confirmed through holdings/current`,
          };
        }
        if (Date.now() >= deadline)
          return {
            ...known,
            outcome: "unknown",
            oclcCode: "MOVE_NOT_CONFIRMED",
            message: `move accepted; holdings/current did not show it within ${Math.round(plan.confirmMs / 1000)} s (run again to check)`,
          };
        await sleep(plan.pollMs, undefined, { signal: env.signal });
      }
    } catch (err) {
      return resultOfError(err, env, known);
    }
  };
}

/**
 * candidates.csv: one row per WorldCat candidate (search results, match candidates), in input order whatever
 * order the answers come in (kept by position, written from the batch's `onReported`). UTF-8 with a BOM and
 * CRLF, like report.csv.
 */
import { csvRow, spreadsheetSafe } from "../../batch/csv.js";
import { createTextSink } from "../../batch/file-sink.js";
import type { ScriptContext } from "../../engine/script.js";
import type { BriefBib } from "../../worldcat/api/search.js";

export const CANDIDATE_COLUMNS = [
  "position",
  "input_id",
  "query",
  "rank",
  "oclc_number",
  "confidence",
  "reason",
  "title",
  "creator",
  "date",
  "publisher",
  "isbns",
  "issns",
  "format",
  "language",
] as const;

export interface Candidate {
  readonly brief: BriefBib;
  readonly query?: string;
  readonly confidence?: string;
  readonly reason?: string;
}

export interface CandidateSink {
  keep(position: number, inputId: string, candidates: readonly Candidate[]): void;
  readonly reported: (position: number) => void;
  /** Rows written. */
  close(): Promise<number>;
}

const text = (v: unknown) => (Array.isArray(v) ? v.join(" ") : v === undefined ? "" : String(v));

export function openCandidateSink(ctx: ScriptContext): CandidateSink {
  const sink = createTextSink(ctx.output("candidates.csv", "candidates"));
  sink.write(`\uFEFF${csvRow([...CANDIDATE_COLUMNS])}`);
  const kept = new Map<number, { inputId: string; candidates: readonly Candidate[] }>();
  let rows = 0;
  return {
    keep(position, inputId, candidates) {
      kept.set(position, { inputId, candidates });
    },
    reported(position) {
      const k = kept.get(position);
      kept.delete(position);
      if (!k) return;
      k.candidates.forEach((c, i) => {
        const b = c.brief;
        rows++;
        sink.write(
          csvRow(
            [
              String(position),
              k.inputId,
              c.query ?? "",
              String(i + 1),
              text(b.oclcNumber),
              c.confidence ?? "",
              c.reason ?? "",
              text(b.title),
              text(b.creator),
              text(b.date),
              text(b.publisher),
              text(b.isbns),
              text(b.issns),
              text(b.specificFormat ?? b.generalFormat),
              text(b.language),
            ].map(spreadsheetSafe),
          ),
        );
      });
    },
    async close() {
      await sink.close();
      return rows;
    },
  };
}

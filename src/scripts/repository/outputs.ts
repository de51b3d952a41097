/**
 * The sync's own outputs, in input order through the batch's `onReported`: records.mrc and records.xml (what
 * was sent, as WorldCat stored it, with the OCLC numbers) and repository-oclc-numbers.csv (OAI identifier,
 * handle URL, OCLC number, action, and the `dc.identifier.oclc` value to load back into the repository).
 */

import { csvRow, spreadsheetSafe } from "../../batch/csv.js";
import { createTextSink } from "../../batch/file-sink.js";
import type { ItemResult } from "../../batch/index.js";
import type { ReportedItem } from "../../batch/item.js";
import type { ScriptContext } from "../../engine/script.js";
import type { MarcRecord } from "../../marc/index.js";
import { openRecordSink } from "../worldcat/record-sink.js";

export const NUMBERS_COLUMNS = [
  "oai_identifier",
  "handle_url",
  "oclc_number",
  "action",
  "dc.identifier.oclc",
];

export interface SyncOutputs {
  keep(position: number, record: MarcRecord): void;
  readonly reported: (position: number, item: ReportedItem<string>, result: ItemResult) => void;
  close(): Promise<{ records: number; numbers: number }>;
}

export function openSyncOutputs(ctx: ScriptContext): SyncOutputs {
  const mrc = openRecordSink(ctx, "iso2709");
  const xml = openRecordSink(ctx, "marcxml");
  const numbers = createTextSink(ctx.output("repository-oclc-numbers.csv", "numbers"));
  numbers.write(`\uFEFF${csvRow(NUMBERS_COLUMNS)}`);
  let rows = 0;
  return {
    keep(position, record) {
      mrc.keep(position, record);
      xml.keep(position, record);
    },
    reported(position, item, result) {
      mrc.reported(position, item, result);
      xml.reported(position, item, result);
      if (!result.current) return;
      let link = "";
      try {
        link = (JSON.parse(item.raw) as { link?: string }).link ?? "";
      } catch {
        // a line that is not JSON never reached WorldCat: it has no number either
      }
      const row = [item.inputId, link, result.current, result.action ?? "", `(OCoLC)${result.current}`];
      numbers.write(csvRow(row.map(spreadsheetSafe)));
      rows++;
    },
    async close() {
      const records = await mrc.close();
      await xml.close();
      await numbers.close();
      return { records, numbers: rows };
    },
  };
}

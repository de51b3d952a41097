/**
 * records.<fmt> after a create batch: the input records, in input order, each with the OCLC number it got
 * (001 in OCLC style, 003 OCoLC, 035 (OCoLC) first), ready to load back into the local catalogue. Built
 * from the batch's report (rows copied on resume included), streaming input and report side by side.
 */
import { createWriteStream } from "node:fs";
import { parseCsv } from "../../batch/csv.js";
import type { BatchCheckpoint } from "../../batch/index.js";
import { parseRow } from "../../batch/report.js";
import { savedReport } from "../../batch/resume.js";
import type { ScriptContext } from "../../engine/script.js";
import {
  controlField,
  createWriter,
  dataField,
  formatOclcNumber,
  type MarcFormat,
  type MarcRecord,
  readFile,
  subfieldValues,
} from "../../marc/index.js";
import { extensionOf } from "./formats.js";

/** The record with OCLC number `ocn` in 001/003/035. */
export function withOclcNumber(record: MarcRecord, ocn: string): MarcRecord {
  const others = record
    .getFields("035")
    .filter((f) => !subfieldValues(f, "a").some((v) => /^\(ocolc\)/i.test(v.trim())));
  return record
    .replaceFields("001", controlField("001", formatOclcNumber(ocn, "ocm")))
    .replaceFields("003", controlField("003", "OCoLC"))
    .replaceFields("035", dataField("035", " ", " ", [["a", `(OCoLC)${ocn}`]]), ...others);
}

/** Writes records.<ext> for the rows that got a number; returns how many. */
export async function writeAssignedRecords(
  ctx: ScriptContext,
  inputPath: string,
  inputFormat: MarcFormat,
  outputFormat: MarcFormat,
): Promise<number> {
  const cp = await ctx.checkpoint.of<BatchCheckpoint>(ctx.processId);
  if (!cp) return 0;
  const writer = createWriter(
    outputFormat,
    createWriteStream(ctx.output(`records.${extensionOf(outputFormat)}`, "records")),
  );
  // The report as the batch's last save left it: every row (a resumed run's copied ones too).
  const rows = parseCsv(savedReport(ctx.checkpoint, cp).open())[Symbol.asyncIterator]();
  await rows.next(); // header
  let written = 0;
  try {
    for await (const item of readFile(inputPath, { format: inputFormat })) {
      const next = await rows.next();
      if (next.done || !next.value.terminated) break;
      const row = parseRow(next.value.fields);
      // Created, or found to exist already (not created twice): either way the record's number.
      if ((row?.outcome === "ok" || row?.action === "exists") && row.current !== "") {
        await writer.write(withOclcNumber(item.record, row.current));
        written++;
      }
    }
  } finally {
    await rows.return?.(undefined);
    await writer.close();
  }
  ctx.log.info(`records.${extensionOf(outputFormat)}: ${written} record(s) with their OCLC numbers`);
  return written;
}

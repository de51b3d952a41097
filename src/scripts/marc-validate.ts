import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { csvRow, spreadsheetSafe } from "../batch/csv.js";
import { defineScript, itemsOutcome } from "../engine/script.js";
import {
  createWriter,
  type MarcWriter,
  readFile,
  VALIDATION_PROFILES,
  type ValidationProfile,
  validate,
} from "../marc/index.js";
import { INPUT_FORMATS, inputFormat } from "./marc/formats.js";

const COLUMNS = [
  "record",
  "byte_offset",
  "control_number",
  "severity",
  "code",
  "tag",
  "occurrence",
  "subfield",
  "message",
];

async function writeLine(out: WriteStream, line: string): Promise<void> {
  if (!out.write(line)) await once(out, "drain");
}

/**
 * Validates every record of a file against a profile: `report.csv` (one row per issue, including problems
 * found while reading), `summary.json`, and `invalid.mrc` holding the records with errors, ready to fix.
 */
export const marcValidate = defineScript({
  name: "marc-validate",
  description:
    "Validates MARC records (structure or an OCLC profile): CSV report, JSON summary, invalid records",
  parameters: [
    { name: "-i", nameLong: "--input", type: "file", required: true, description: "MARC file to validate" },
    {
      name: "-f",
      nameLong: "--from",
      type: "enum",
      values: INPUT_FORMATS,
      default: "auto",
      description: "input format",
    },
    {
      name: "-p",
      nameLong: "--profile",
      type: "enum",
      values: VALIDATION_PROFILES,
      default: "structure",
      description: "structure, create, replace, lbd (local bibliographic data) or holdings",
    },
  ],
  async run(ctx) {
    const profile = ctx.params.profile as ValidationProfile;
    const report = createWriteStream(ctx.output("report.csv", "report"));
    const invalid: MarcWriter = createWriter(
      "iso2709",
      createWriteStream(ctx.output("invalid.mrc", "failures")),
    );
    const counts = { records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };
    const byCode: Record<string, number> = {};
    let withWarnings = 0; // records with at least one warning
    await writeLine(report, `\ufeff${csvRow(COLUMNS)}`);
    try {
      for await (const item of readFile(ctx.input(String(ctx.params.input)), {
        format: inputFormat(ctx.params.from),
      })) {
        ctx.signal.throwIfAborted();
        counts.records++;
        const id = item.record.controlValue("001") ?? "";
        const rows = [
          ...item.problems.map((p) => ({
            severity: p.severity,
            code: "READ_PROBLEM",
            tag: p.tag ?? "",
            occurrence: "",
            subfield: "",
            message: p.message,
          })),
          ...validate(item.record, profile).map((v) => ({
            ...v,
            tag: v.tag ?? "",
            occurrence: String(v.occurrence ?? ""),
            subfield: v.subfield ?? "",
          })),
        ];
        let hasError = false;
        if (rows.some((r) => r.severity !== "error")) withWarnings++;
        for (const r of rows) {
          if (r.severity === "error") hasError = true;
          counts[r.severity === "error" ? "errors" : "warnings"]++;
          byCode[r.code] = (byCode[r.code] ?? 0) + 1;
          await writeLine(
            report,
            csvRow(
              [
                String(item.recordNumber),
                String(item.byteOffset ?? ""),
                id,
                r.severity,
                r.code,
                r.tag,
                r.occurrence,
                r.subfield,
                r.message,
              ].map(spreadsheetSafe),
            ),
          );
        }
        if (hasError) {
          counts.invalid++;
          await invalid.write(item.record);
        } else counts.valid++;
        if (counts.records % 1000 === 0) ctx.progress(counts.records);
      }
    } finally {
      report.end();
      await once(report, "close");
      await invalid.close();
    }
    ctx.progress(counts.records, counts.records);
    const summary = { profile, ...counts, byCode };
    const summaryOut = createWriteStream(ctx.output("summary.json", "summary"));
    summaryOut.end(`${JSON.stringify(summary, null, 2)}\n`);
    await once(summaryOut, "close");
    ctx.log.info(
      `${counts.records} record(s): ${counts.valid} valid, ${counts.invalid} invalid (${counts.errors} error(s), ${counts.warnings} warning(s))`,
    );
    // Invalid records are the errors of a validation run that went through its whole input (issue 17).
    const outcome = itemsOutcome({
      total: counts.records,
      failed: counts.invalid,
      unknown: 0,
      warnings: withWarnings,
    });
    return { summary, outcome };
  },
});

import { createWriteStream } from "node:fs";
import { defineScript } from "../engine/script.js";
import { createWriter, type OutputFormat, readFile } from "../marc/index.js";
import { extensionOf, INPUT_FORMATS, inputFormat, OUTPUT_FORMATS } from "./marc/formats.js";

/**
 * Converts MARC between formats (ISO 2709, MARCXML, MARC-in-JSON, MarcEdit .mrk, text dump); MARC-8 input
 * becomes UTF-8 (Leader/09 'a'). Problems of the input are logged with record number and byte offset.
 */
export const marcConvert = defineScript({
  name: "marc-convert",
  description: "Converts MARC records from any format to any format (MARC-8 to UTF-8)",
  parameters: [
    { name: "-i", nameLong: "--input", type: "file", required: true, description: "MARC file to convert" },
    {
      name: "-f",
      nameLong: "--from",
      type: "enum",
      values: INPUT_FORMATS,
      default: "auto",
      description: "input format",
    },
    {
      name: "-t",
      nameLong: "--to",
      type: "enum",
      values: OUTPUT_FORMATS,
      required: true,
      description: "output format",
    },
  ],
  async run(ctx) {
    const to = ctx.params.to as OutputFormat;
    const outPath = ctx.output(`records.${extensionOf(to)}`, "records");
    const writer = createWriter(to, createWriteStream(outPath));
    let records = 0;
    let problems = 0;
    try {
      for await (const item of readFile(ctx.input(String(ctx.params.input)), {
        format: inputFormat(ctx.params.from),
      })) {
        ctx.signal.throwIfAborted();
        for (const p of item.problems) {
          problems++;
          ctx.log.warn(
            `record ${p.recordNumber}${p.byteOffset !== undefined ? ` (byte ${p.byteOffset})` : ""}: ${p.message}`,
          );
        }
        await writer.write(item.record);
        if (++records % 1000 === 0) ctx.progress(records);
      }
    } finally {
      await writer.close();
    }
    ctx.progress(records, records);
    ctx.log.info(`converted ${records} record(s) to ${to}; ${problems} problem(s) in the input`);
    return { summary: { records, problems, to } };
  },
});

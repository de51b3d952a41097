/** Format choices shared by the MARC scripts, and the file extension each writes. */
import type { MarcFormat, OutputFormat } from "../../marc/index.js";

export const INPUT_FORMATS = ["auto", "iso2709", "marcxml", "json", "mrk"] as const;
export const OUTPUT_FORMATS = ["iso2709", "marcxml", "json", "mrk", "text"] as const;

const EXTENSIONS: Record<OutputFormat, string> = {
  iso2709: "mrc",
  marcxml: "xml",
  json: "json",
  mrk: "mrk",
  text: "txt",
};

export function extensionOf(format: OutputFormat): string {
  return EXTENSIONS[format];
}

/** `auto` (or nothing) means: guess from the content. */
export function inputFormat(value: unknown): MarcFormat | undefined {
  return value === undefined || value === "auto" ? undefined : (value as MarcFormat);
}

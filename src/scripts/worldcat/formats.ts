/** MARC output formats of the WorldCat scripts and the file extension of each. */
import type { MarcFormat } from "../../marc/index.js";

export const RECORD_FORMATS = ["iso2709", "marcxml", "json", "mrk"] as const;

const EXTENSIONS: Readonly<Record<MarcFormat, string>> = {
  iso2709: "mrc",
  marcxml: "xml",
  json: "json",
  mrk: "mrk",
};

/** `iso2709` -> `mrc`, `marcxml` -> `xml`, `json` -> `json`, `mrk` -> `mrk`. */
export function extensionOf(format: MarcFormat): string {
  return EXTENSIONS[format];
}

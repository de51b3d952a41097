/**
 * The public face of src/marc: the record model, every reader and writer, format detection and the
 * registry, MARC-8, validation and OCLC numbers. Import from here outside src/marc.
 *
 * ```ts
 * import { readFile, createWriter } from "../marc/index.js";
 * ```
 */
export * from "./codec.js";
export * from "./dump.js";
export * from "./format.js";
export * from "./holdings.js";
export * from "./io.js";
export { readIso2709 } from "./iso2709-reader.js";
export { createIso2709Writer, encodeIso2709, MarcWriteError } from "./iso2709-writer.js";
export {
  convertMarcJson,
  createMarcJsonWriter,
  marcJsonToRecord,
  readMarcJson,
  recordToMarcJson,
} from "./json.js";
export { decodeMarc8, type Marc8Report } from "./marc8/decode.js";
export { readMarcXml } from "./marcxml-reader.js";
export { parseMarcXmlString, recordToMarcXml } from "./marcxml-string.js";
export { createMarcXmlWriter, type MarcXmlWriterOptions } from "./marcxml-writer.js";
export { createMrkWriter, readMrk, recordToMrk } from "./mrk.js";
export { decodeMnemonics, encodeMnemonics } from "./mrk-mnemonics.js";
export * from "./oclc-number.js";
export * from "./record.js";
export * from "./validate/index.js";
export { ENTITY_LIMITS, EntityBudget, EntityLimitError, type EntityLimits } from "./xml/entities.js";

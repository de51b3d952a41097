/** The batch engine shared by record-level scripts. See README.md for its guarantees. */
export type { BatchCheckpoint } from "./checkpoint.js";
export { defaultClassifyError, defaultIsThrottle } from "./classify.js";
export { BatchError, BatchInputError, BatchResumeError } from "./errors.js";
export type { BatchItem, Handler, HandlerEnv, ItemResult, Outcome, SourceEntry } from "./item.js";
export type { BatchContext, BatchOptions, Permits } from "./options.js";
export { REPORT_COLUMNS } from "./report.js";
export { runBatch } from "./runner.js";
export type { BatchSource, FailuresFormat, FailuresSink } from "./source.js";
export {
  type CsvColumn,
  CsvColumnError,
  type CsvRaw,
  csvColumnOf,
  csvNumberSource,
  pickCsvColumn,
} from "./sources/csv.js";
export { type MarcSourceOptions, marcNumberSource, marcRecordSource } from "./sources/marc.js";
export type { OpenMarcWriter } from "./sources/marc-failures.js";
export { textNumberSource } from "./sources/text.js";
export type { BatchSummary } from "./summary.js";
export { type AdaptiveWindow, createAdaptiveWindow } from "./window.js";

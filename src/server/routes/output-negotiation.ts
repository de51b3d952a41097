/**
 * What a `GET /api/system/processes/{id}/output` asks for. DSpace answers the log's file record (HAL JSON,
 * file type `script_output`): that is the default, for DSpace clients (issue 18). The live log stays
 * available: as text for `Accept: text/plain`, as Server-Sent Events for `Accept: text/event-stream` (what
 * a browser's EventSource sends) or `?follow=true`.
 */
import type { ProcessFile } from "../../engine/process-record.js";
import { fileView } from "../views/process-view.js";

export type OutputAnswer = "record" | "text" | "stream";

/** The file type DSpace gives a process's log. */
export const SCRIPT_OUTPUT = "script_output";

export function outputAnswer(accept: string | undefined, follow: boolean): OutputAnswer {
  const types = (accept ?? "")
    .toLowerCase()
    .split(",")
    .map((t) => t.split(";")[0].trim());
  if (follow || types.includes("text/event-stream")) return "stream";
  // Text only when asked for by name and JSON is not asked for too (a browser's */* gets the record).
  if (types.includes("text/plain") && !types.some((t) => t.endsWith("json"))) return "text";
  return "record";
}

/** The log's file record as `/output` answers it: a process file of file type `script_output`. */
export function outputFileView(log: ProcessFile, origin: string) {
  const view = fileView(log, origin);
  return {
    ...view,
    fileType: SCRIPT_OUTPUT,
    metadata: { ...view.metadata, "dspace.process.filetype": [{ value: SCRIPT_OUTPUT }] },
  };
}

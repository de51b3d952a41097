/** Errors of the OAI-PMH harvester: one base class; an answer with an OAI error code carries it. */
import { NightshiftError } from "../errors.js";

export class OaiError extends NightshiftError {
  constructor(message: string, code = "OAI_ERROR") {
    super(message, code);
  }
}

/**
 * The repository answered an OAI-PMH error (badArgument, badResumptionToken, cannotDisseminateFormat, ...).
 * `noRecordsMatch` is never thrown: it is an empty list.
 */
export class OaiProtocolError extends OaiError {
  constructor(
    readonly oaiCode: string,
    readonly detail: string,
    /** The request, e.g. `ListRecords metadataPrefix=oai_dc from=2026-01-01` (no secrets: OAI has none). */
    readonly request: string,
  ) {
    super(`OAI-PMH error ${oaiCode} for ${request}${detail ? `: ${detail}` : ""}`, oaiCode);
  }
}

/** The repository could not be reached or answered something that is not OAI-PMH. */
export class OaiHttpError extends OaiError {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message, status === undefined ? "OAI_UNREACHABLE" : `HTTP_${status}`);
  }
}

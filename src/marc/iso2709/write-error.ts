import { NightshiftError } from "../../errors.js";

/** A record that cannot be written in the target format; says which record (1-based) and field. */
export class MarcWriteError extends NightshiftError {
  constructor(
    readonly recordNumber: number,
    readonly tag: string | undefined,
    readonly reason: string,
  ) {
    super(`record ${recordNumber}${tag ? `, field ${tag}` : ""}: ${reason}`, "MARC_WRITE_ERROR");
  }
}

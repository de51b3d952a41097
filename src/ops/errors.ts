import { NightshiftError } from "../errors.js";

/** A backup could not be written (the message says what and where). */
export class BackupError extends NightshiftError {
  constructor(message: string) {
    super(message, "BACKUP");
  }
}

/** A restore was refused or failed; the target directory is left as it was found. */
export class RestoreError extends NightshiftError {
  constructor(message: string) {
    super(message, "RESTORE");
  }
}

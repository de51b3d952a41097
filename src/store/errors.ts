import { NightshiftError } from "../errors.js";

/** Base of every error the store makes on purpose. */
export class StoreError extends NightshiftError {}

/** The database stayed locked by other writers past the retry budget. */
export class StoreBusyError extends StoreError {
  constructor(
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`database is busy: gave up after ${attempts} attempts`, "STORE_BUSY");
  }
}

/** The database was written by a newer Nightshift (a migration this version does not know). */
export class StoreVersionError extends StoreError {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database was written by a newer Nightshift (schema version ${found}; this one knows up to ${known}): ` +
        "nothing was changed; upgrade Nightshift, or restore a backup taken before the upgrade",
      "STORE_VERSION",
    );
  }
}

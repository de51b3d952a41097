/** Every query of the engine, one small file each (the graphile-worker src/sql/ layout). */
export * from "./checkpoint.js";
export * from "./claim-processes.js";
export * from "./delete-process.js";
export * from "./find-cancel-requests.js";
export * from "./find-expired-leases.js";
export * from "./finish-process.js";
export * from "./get-process.js";
export * from "./insert-process.js";
export * from "./list-processes.js";
export * from "./process-files.js";
export * from "./release-reservations.js";
export * from "./renew-leases.js";
export * from "./request-cancel.js";
export * from "./requeue-process.js";
export * from "./unsettled-writes.js";
export * from "./update-progress.js";
export * from "./workers.js";

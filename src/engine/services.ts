import type { ProcessService } from "./service.js";
import type { UnsettledWrites } from "./unsettled-writes.js";
import type { WriteHistory } from "./write-history.js";

declare module "./script.js" {
  interface ScriptServices {
    /**
     * The process service, for maintenance scripts (process-cleaner). Ordinary scripts have no reason to
     * touch other processes.
     */
    readonly processes?: ProcessService;
    /** Writes to outside systems whose outcome is not known yet, shared by every process (see unsettled-writes.ts). */
    readonly unsettledWrites?: UnsettledWrites;
    /** Writes to outside systems that were done and what they produced, for good (see write-history.ts). */
    readonly writeHistory?: WriteHistory;
  }
}

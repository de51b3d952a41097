import type { ProcessService } from "./service.js";

declare module "./script.js" {
  interface ScriptServices {
    /**
     * The process service, for maintenance scripts (process-cleaner). Ordinary scripts have no reason to
     * touch other processes.
     */
    readonly processes?: ProcessService;
  }
}

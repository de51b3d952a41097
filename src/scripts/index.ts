import type { ScriptDefinition } from "../engine/script.js";
import { processCleaner } from "./process-cleaner.js";

/** The scripts every Nightshift has. Each lives in its own file in this folder. */
export const builtInScripts: ScriptDefinition[] = [processCleaner];

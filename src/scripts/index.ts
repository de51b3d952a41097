import type { ScriptDefinition } from "../engine/script.js";
import { marcConvert } from "./marc-convert.js";
import { marcValidate } from "./marc-validate.js";
import { processCleaner } from "./process-cleaner.js";
import { repositoryToWorldcat } from "./repository-to-worldcat.js";
import { worldcatBibs } from "./worldcat-bibs.js";
import { worldcatCurrent } from "./worldcat-current.js";
import { worldcatFetch } from "./worldcat-fetch.js";
import { worldcatHoldingCodes } from "./worldcat-holding-codes.js";
import { worldcatHoldings } from "./worldcat-holdings.js";
import { worldcatLbd } from "./worldcat-lbd.js";
import { worldcatLhr } from "./worldcat-lhr.js";
import { worldcatMatch } from "./worldcat-match.js";
import { worldcatReconcile } from "./worldcat-reconcile.js";
import { worldcatSearch } from "./worldcat-search.js";

/** The scripts every Nightshift has. Each lives in its own file in this folder. */
export const builtInScripts: ScriptDefinition[] = [
  processCleaner,
  marcValidate,
  marcConvert,
  worldcatHoldings,
  worldcatBibs,
  worldcatLbd,
  worldcatLhr,
  worldcatCurrent,
  worldcatSearch,
  worldcatMatch,
  worldcatReconcile,
  worldcatFetch,
  worldcatHoldingCodes,
  repositoryToWorldcat,
];

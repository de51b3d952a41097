/** What the built-in WorldCat scripts need of their account: probe operations, and whether they write. */

/**
 * Operations (as `worldcat check` names them) each script needs for its plain run; options that add writes
 * (`--set-holdings`, `--apply`, `--action move`) are not counted here.
 */
export const SCRIPT_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  "worldcat-holdings": ["check current numbers", "set holdings", "unset holdings"],
  "worldcat-bibs": ["read bibs", "validate bibs", "create bibs", "replace bibs"],
  "worldcat-lbd": ["read local bib data"],
  "worldcat-lhr": ["read holdings", "read local holdings records"],
  "worldcat-fetch": ["read bibs"],
  "worldcat-holding-codes": ["list holding codes"],
  "worldcat-current": ["check current numbers"],
  "worldcat-match": ["match bibs", "search brief bibs"],
  "worldcat-search": ["search brief bibs"],
  "worldcat-reconcile": ["read holdings"],
  "repository-to-worldcat": ["match bibs", "search brief bibs", "create bibs", "set holdings"],
};

/** Scripts that write to WorldCat: their account needs principalID and principalIDNS. */
export const WRITING_SCRIPTS: ReadonlySet<string> = new Set([
  "worldcat-holdings",
  "worldcat-bibs",
  "worldcat-lbd",
  "worldcat-lhr",
  "repository-to-worldcat",
]);

/** Scopes a script needs (every WorldCat script: the Metadata API's). */
export function scopesNeeded(script: string): readonly string[] {
  return script.startsWith("worldcat-") || Object.hasOwn(SCRIPT_OPERATIONS, script)
    ? ["WorldCatMetadataAPI"]
    : [];
}

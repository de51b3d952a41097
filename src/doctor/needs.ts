/** What the built-in WorldCat scripts need of their account: probe operations, and whether they write. */

/** Operations (as `worldcat check` names them) each script needs. */
export const SCRIPT_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  "worldcat-holdings": ["check current numbers", "set holdings", "unset holdings"],
  "worldcat-bibs": ["read bibs", "validate bibs", "create bibs", "replace bibs"],
  "worldcat-lbd": ["read local bib data"],
  "worldcat-fetch": ["read bibs"],
  "worldcat-holding-codes": ["list holding codes"],
};

/** Scripts that write to WorldCat: their account needs principalID and principalIDNS. */
export const WRITING_SCRIPTS: ReadonlySet<string> = new Set([
  "worldcat-holdings",
  "worldcat-bibs",
  "worldcat-lbd",
]);

/** Scopes a script needs (every WorldCat script: the Metadata API's). */
export function scopesNeeded(script: string): readonly string[] {
  return script.startsWith("worldcat-") ? ["WorldCatMetadataAPI"] : [];
}

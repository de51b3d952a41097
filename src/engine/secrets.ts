import type { ProcessRow } from "../store/schema.js";
import type { SecretVault } from "./vault.js";

/** A process's parameter values with secrets restored from the vault, and what could not be restored. */
export function resolveSecrets(row: ProcessRow, vault: SecretVault) {
  const values: Record<string, unknown> = JSON.parse(row.param_values);
  const keys: string[] = row.secret_keys ? JSON.parse(row.secret_keys) : [];
  const held = keys.length ? vault.get(row.id) : undefined;
  const missing: string[] = [];
  const strings: string[] = [];
  for (const key of keys) {
    const value = held?.[key];
    if (value === undefined) missing.push(key);
    else {
      values[key] = value;
      strings.push(String(value));
    }
  }
  return { values, missing, strings };
}

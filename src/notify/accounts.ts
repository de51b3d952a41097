/**
 * Whether a service account is a sandbox one (labelled SANDBOX in subjects): it points at a sandbox
 * (`sandboxUrl`, or `sandbox: true`), or it is the built-in `sandbox` account of the embedded defaults.
 */
export function isSandboxAccount(accounts: Readonly<Record<string, unknown>>, name: string): boolean {
  const entry = accounts[name];
  if (entry === undefined) return name === "sandbox";
  if (typeof entry !== "object" || entry === null) return false;
  const e = entry as Record<string, unknown>;
  return (typeof e.sandboxUrl === "string" && e.sandboxUrl !== "") || e.sandbox === true;
}

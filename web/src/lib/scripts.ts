import { getJson } from "./api.ts";
import type { Page, Script, ScriptParameter } from "./types.ts";

export async function listScripts(signal?: AbortSignal): Promise<Script[]> {
  const body = await getJson<Page<"scripts", Script>>("/api/system/scripts?size=1000", signal);
  return body._embedded.scripts ?? [];
}

export const getScript = (name: string, signal?: AbortSignal) =>
  getJson<Script>(`/api/system/scripts/${encodeURIComponent(name)}`, signal);

/** The parameter a name in a process's parameters (short or long, as sent) refers to. */
export function parameterNamed(script: Script, name: string): ScriptParameter | undefined {
  return script.parameters.find((p) => p.name === name || p.nameLong === name);
}

/** The service-account parameter, the one the account picker fills. */
export const isAccountParameter = (p: ScriptParameter) => p.nameLong === "--account";

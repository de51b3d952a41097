/** A script as the contract shows it: parameters with the contract's type names. */
import type { ParameterDefinition, ParameterType, ScriptDefinition } from "../../engine/script.js";

/** Our parameter types -> the contract's (`file` is an upload: InputStream). */
export const CONTRACT_TYPES: Readonly<Record<ParameterType, string>> = {
  string: "String",
  integer: "Integer",
  boolean: "boolean",
  date: "date",
  enum: "String",
  file: "InputStream",
  output: "OutputStream",
};

function parameterView(p: ParameterDefinition) {
  return {
    name: p.name,
    nameLong: p.nameLong,
    description: p.description,
    type: CONTRACT_TYPES[p.type],
    mandatory: p.required === true && p.default === undefined,
    ...(p.values ? { values: p.values } : {}),
    ...(p.default !== undefined && !p.secret ? { defaultValue: p.default } : {}),
    ...(p.secret ? { secret: true } : {}),
  };
}

export function scriptView(s: ScriptDefinition, origin: string) {
  return {
    id: s.name,
    name: s.name,
    type: "script",
    description: s.description,
    parameters: s.parameters.map(parameterView),
    _links: {
      self: { href: `${origin}/api/system/scripts/${encodeURIComponent(s.name)}` },
      processes: { href: `${origin}/api/system/scripts/${encodeURIComponent(s.name)}/processes` },
    },
  };
}

/**
 * An event's JSON payload -> the script's parameters: the trigger's constants, then one value per mapped
 * parameter (by JSON Pointer), parsed by the parser `run` uses. A value that is missing or does not parse
 * is a problem naming the parameter.
 */
import {
  ParameterError,
  type ParameterProblem,
  type ParsedParameters,
  parseArgv,
} from "../engine/parameters.js";
import type { ScriptDefinition } from "../engine/script.js";
import type { TriggerDefinition } from "./definition.js";
import { resolvePointer } from "./pointer.js";

export function mapPayload(
  trigger: TriggerDefinition,
  script: ScriptDefinition,
  payload: unknown,
): { parameters: ParsedParameters } | { problems: ParameterProblem[] } {
  const argv = [...trigger.args];
  const problems: ParameterProblem[] = [];
  for (const [param, pointer] of Object.entries(trigger.payload)) {
    const { found, value } = resolvePointer(payload, pointer);
    if (!found || value === null || value === undefined) {
      problems.push({
        parameter: param,
        message: `parameter '${param}': the event has no value at ${pointer}`,
      });
      continue;
    }
    if (typeof value === "object") {
      problems.push({
        parameter: param,
        message: `parameter '${param}': the value at ${pointer} is not a string, number or boolean`,
      });
      continue;
    }
    argv.push(param, String(value));
  }
  if (problems.length) return { problems };
  try {
    return { parameters: parseArgv(script, argv) };
  } catch (err) {
    if (!(err instanceof ParameterError)) throw err;
    return { problems: [...err.problems] };
  }
}

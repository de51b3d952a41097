import type { ParamValues } from "./script.js";

/**
 * Secret parameter values, kept in memory only (the database holds them masked). A process with secrets
 * is reserved for the worker of the OS process that created it; if that worker goes away, so do the values.
 */
export interface SecretVault {
  put(processId: number, values: ParamValues): void;
  get(processId: number): ParamValues | undefined;
  delete(processId: number): void;
}

export function createVault(): SecretVault {
  const map = new Map<number, ParamValues>();
  return {
    put: (id, values) => void map.set(id, Object.freeze({ ...values })),
    get: (id) => map.get(id),
    delete: (id) => void map.delete(id),
  };
}

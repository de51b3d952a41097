/**
 * The `uuid` of a process file (DSpace clients address files as bitstreams by UUID): made from the process
 * id and the file id, so it is stable and needs no column, and read back by `/api/core/bitstreams/{uuid}`.
 * Layout `pppppppp-pppp-4ppp-8fff-ffffffffffff`: 15 hex digits each (both ids are at most 2^53), version 4
 * and the RFC 4122 variant so that UUID parsers accept it.
 *
 * ```ts
 * fileUuid(7, 12)            // "00000000-0000-4007-8000-00000000000c"
 * parseFileUuid(fileUuid(7, 12)) // { processId: 7, fileId: 12 }
 * ```
 */
const PATTERN = /^([0-9a-f]{8})-([0-9a-f]{4})-4([0-9a-f]{3})-8([0-9a-f]{3})-([0-9a-f]{12})$/;

export function fileUuid(processId: number, fileId: number): string {
  const p = processId.toString(16).padStart(15, "0");
  const f = fileId.toString(16).padStart(15, "0");
  return `${p.slice(0, 8)}-${p.slice(8, 12)}-4${p.slice(12)}-8${f.slice(0, 3)}-${f.slice(3)}`;
}

/** The ids a file UUID stands for, or undefined when it is not one of ours. */
export function parseFileUuid(uuid: string): { processId: number; fileId: number } | undefined {
  const m = PATTERN.exec(uuid.toLowerCase());
  if (!m) return undefined;
  const processId = Number.parseInt(m[1] + m[2] + m[3], 16);
  const fileId = Number.parseInt(m[4] + m[5], 16);
  if (!Number.isSafeInteger(processId) || !Number.isSafeInteger(fileId) || processId < 1 || fileId < 1)
    return undefined;
  return { processId, fileId };
}

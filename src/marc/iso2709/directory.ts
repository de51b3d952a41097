import { FT, parseDigits, readTag } from "./bytes.js";
import type { ProblemLog } from "./problems.js";
import { showBytes } from "./show.js";

/** One field's place in the record, as absolute buffer indexes: `[start, end)` excludes the field terminator. */
export interface FieldSpan {
  readonly tag: string;
  readonly start: number;
  readonly end: number;
}

/** Tag given to a field recovered from the data whose directory entry could not be found. */
export const UNKNOWN_TAG = "???";

/**
 * Reads the directory between `dirStart` and `dirEnd` (the directory's field terminator) and returns the
 * fields' spans. When any entry does not point at a field that ends with a field terminator inside the
 * data area, the spans come from splitting the data area on field terminators instead (with an error).
 */
export function readDirectory(
  buf: Buffer,
  dirStart: number,
  dirEnd: number,
  dataEnd: number,
  log: ProblemLog,
): FieldSpan[] {
  const rest = (dirEnd - dirStart) % 12;
  if (rest !== 0) log.add("error", `directory length ${dirEnd - dirStart} is not a multiple of 12`, dirStart);
  const entries = parseEntries(buf, dirStart, dirEnd, dataEnd);
  const bad = entries.findIndex((e) => !e.valid);
  if (bad < 0 && rest === 0) return entries;
  if (bad >= 0) {
    const at = dirStart + bad * 12;
    log.add(
      "error",
      `directory entry ${bad + 1} '${showBytes(buf, at, at + 12)}' does not match the data; ` +
        "fields recovered by splitting on field terminators",
      at,
      entries[bad].tag,
    );
  }
  // A directory with a byte too many or too few: entries aligned on its end are often still right.
  const shifted = rest === 0 ? [] : parseEntries(buf, dirStart + rest, dirEnd, dataEnd);
  return splitOnTerminators(
    buf,
    dirEnd + 1,
    dataEnd,
    rest === 0 ? entries : undefined,
    [...entries, ...shifted],
    log,
  );
}

interface Entry extends FieldSpan {
  readonly valid: boolean;
}

function parseEntries(buf: Buffer, from: number, dirEnd: number, dataEnd: number): Entry[] {
  const base = dirEnd + 1;
  const count = Math.floor((dirEnd - from) / 12);
  const out: Entry[] = new Array(count);
  for (let i = 0, p = from; i < count; i++, p += 12) {
    const length = parseDigits(buf, p + 3, 4);
    const offset = parseDigits(buf, p + 7, 5);
    const start = base + offset;
    const end = start + length - 1;
    const valid = length >= 1 && offset >= 0 && end < dataEnd && buf[end] === FT;
    out[i] = { tag: readTag(buf, p), start, end, valid };
  }
  return out;
}

/**
 * Fallback: each run of bytes ended by a field terminator is a field. Its tag is the tag of the entry in the
 * same position when the directory has exactly one entry per field (offsets may be wrong, e.g. wrapped past
 * 99999), else the tag of an entry pointing exactly at it, else UNKNOWN_TAG.
 */
function splitOnTerminators(
  buf: Buffer,
  base: number,
  dataEnd: number,
  ordered: readonly Entry[] | undefined,
  candidates: readonly Entry[],
  log: ProblemLog,
): FieldSpan[] {
  const out: FieldSpan[] = [];
  for (let start = base; start < dataEnd; ) {
    let end = buf.indexOf(FT, start);
    if (end < 0 || end > dataEnd) end = dataEnd;
    out.push({ tag: UNKNOWN_TAG, start, end });
    start = end + 1;
  }
  if (ordered && ordered.length === out.length)
    return out.map((f, i) => ({ tag: ordered[i].tag, start: f.start, end: f.end }));
  const exact = new Map<number, string>();
  for (const e of candidates) if (e.valid) exact.set(e.start, e.tag);
  const fields = out.map((f) => ({ tag: exact.get(f.start) ?? UNKNOWN_TAG, start: f.start, end: f.end }));
  const unknown = fields.filter((f) => f.tag === UNKNOWN_TAG).length;
  if (unknown > 0)
    log.add(
      "error",
      `${unknown} of ${fields.length} fields have no directory entry; tag '${UNKNOWN_TAG}' given`,
      base,
    );
  return fields;
}

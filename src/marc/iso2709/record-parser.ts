import { isUtf8 } from "node:buffer";
import { createRecord, type Field, isControlTag, type MarcRecord } from "../record.js";
import { BYTE_CHAR, FT, parseDigits, SD } from "./bytes.js";
import { type FieldSpan, readDirectory, UNKNOWN_TAG } from "./directory.js";
import { checkedUtf8Text, type FieldText, latin1Text, marc8Text, utf8Text } from "./field-text.js";
import { buildControlField, buildDataField } from "./fields.js";
import type { Frame } from "./framer.js";
import type { ProblemLog } from "./problems.js";
import { showBytes } from "./show.js";

/** Decodes one framed record. Problems go to `log` (which throws in strict mode). */
export function parseRecord(buf: Buffer, frame: Frame, toUtf8: boolean, log: ProblemLog): MarcRecord {
  const { start } = frame;
  const dataEnd = frame.terminated ? frame.end - 1 : frame.end;
  if (dataEnd - start < 24) {
    log.add("error", `record is only ${dataEnd - start} bytes, shorter than a leader`, start);
    return createRecord({ leader: buf.toString("latin1", start, dataEnd) });
  }
  let leader = buf.toString("latin1", start, start + 24);
  checkLeader(buf, start, log);
  const dirEnd = findDirectoryEnd(buf, start, dataEnd, log);
  if (dirEnd < 0) return createRecord({ leader });
  const spans = readDirectory(buf, start + 24, dirEnd, dataEnd, log);
  let text: FieldText;
  if (buf[start + 9] === 0x20 && toUtf8) {
    text = marc8Text;
    leader = `${leader.slice(0, 9)}a${leader.slice(10)}`;
  } else if (buf[start + 9] === 0x20) text = latin1Text;
  else text = isUtf8(buf.subarray(start, dataEnd)) ? utf8Text : checkedUtf8Text;
  const fields: Field[] = new Array(spans.length);
  for (let i = 0; i < spans.length; i++) fields[i] = parseField(buf, spans[i], text, log);
  return createRecord({ leader, fields });
}

function parseField(buf: Buffer, span: FieldSpan, text: FieldText, log: ProblemLog): Field {
  const { tag, start, end } = span;
  const control = tag === UNKNOWN_TAG ? end - start < 3 || buf[start + 2] !== SD : isControlTag(tag);
  if (control) return buildControlField(tag, text(buf, start, end, tag, log));
  let from = start;
  let ind1 = " ";
  let ind2 = " ";
  if (end - start >= 2 && buf[start] !== SD && buf[start + 1] !== SD) {
    ind1 = BYTE_CHAR[buf[start]];
    ind2 = BYTE_CHAR[buf[start + 1]];
    from = start + 2;
  } else if (end > start) {
    log.add("warning", "indicators missing; blanks assumed", start, tag);
    if (buf[start] !== SD) from = start + 1;
  }
  if (from < end && buf[from] !== SD)
    log.add("warning", "data before the first subfield delimiter ignored", from, tag);
  return buildDataField(tag, ind1, ind2, from < end ? text(buf, from, end, tag, log) : "");
}

/** Index of the directory's field terminator; uses the base address when it is right, else searches. */
function findDirectoryEnd(buf: Buffer, start: number, dataEnd: number, log: ProblemLog): number {
  const base = parseDigits(buf, start + 12, 5);
  const at = start + base - 1;
  if (base >= 25 && at < dataEnd && buf[at] === FT && buf.indexOf(FT, start + 24) === at) return at;
  const found = buf.indexOf(FT, start + 24);
  if (found < 0 || found >= dataEnd) {
    log.add("error", "no directory terminator: record has no readable fields", start + 24);
    return -1;
  }
  const shown = base < 0 ? `'${showBytes(buf, start + 12, start + 17)}'` : String(base);
  log.add(
    "error",
    `base address ${shown} in leader, but the directory ends at ${found + 1 - start}`,
    start + 12,
  );
  return found;
}

/** Leader/10-11 must be "22" and Leader/20-23 "4500" in MARC 21; the record is still read as if they were. */
function checkLeader(buf: Buffer, start: number, log: ProblemLog): void {
  if (buf[start + 10] !== 0x32 || buf[start + 11] !== 0x32)
    log.add("warning", `leader/10-11 '${showBytes(buf, start + 10, start + 12)}' should be '22'`, start + 10);
  if (
    buf[start + 20] !== 0x34 ||
    buf[start + 21] !== 0x35 ||
    buf[start + 22] !== 0x30 ||
    buf[start + 23] !== 0x30
  )
    log.add(
      "warning",
      `leader/20-23 '${showBytes(buf, start + 20, start + 24)}' should be '4500'`,
      start + 20,
    );
}

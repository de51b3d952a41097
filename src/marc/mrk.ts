/**
 * MarcEdit's mnemonic text (.mrk / .mrk8): one field a line, records separated by blank lines.
 *
 * ```text
 * =LDR  00000nam a2200000 a 4500
 * =001  tes96000001\
 * =245  10$aNew test record$cby Jane Deer-Doe {dollar}5.
 * ```
 * Blanks in indicators and control fields are `\`; `{dollar}`, `{lcub}`, `{rcub}`, `{bsol}` and the
 * character mnemonics (`{acute}`, `{Lstrok}`...) stand for characters. A record whose Leader/09 is blank is
 * MARC-8 text (mnemonics are MARC-8 bytes, combining marks before their base): it is decoded like an
 * ISO 2709 MARC-8 record and gets Leader/09 'a' (unless `toUtf8: false`). Otherwise lines are UTF-8.
 */
import type { Writable } from "node:stream";
import {
  type ByteSource,
  MarcReadError,
  type MarcReader,
  type MarcWriter,
  type ReadItem,
  type ReadOptions,
  type ReadProblem,
} from "./codec.js";
import { decodeMarc8 } from "./marc8/decode.js";
import { codePoint, decodeMnemonics, encodeMnemonics, MNEMONIC_PATTERN, MNEMONICS } from "./mrk-mnemonics.js";
import {
  controlField,
  createRecord,
  dataField,
  type Field,
  isControlTag,
  type MarcRecord,
} from "./record.js";
import { createBufferedOutput } from "./xml/buffered-output.js";

/** One record as .mrk text (UTF-8, mnemonics only where needed), ending with a blank line. */
export function recordToMrk(record: MarcRecord): string {
  let s = `=LDR  ${record.leader}\r\n`;
  for (const f of record.fields) {
    if (f.kind === "control") s += `=${f.tag}  ${encodeMnemonics(f.value).replace(/ /g, "\\")}\r\n`;
    else {
      s += `=${f.tag}  ${blank(f.ind1)}${blank(f.ind2)}`;
      for (const sf of f.subfields) s += `$${sf.code}${encodeMnemonics(sf.value)}`;
      s += "\r\n";
    }
  }
  return `${s}\r\n`;
}

function blank(indicator: string): string {
  return indicator === " " ? "\\" : indicator;
}

/** Writes records as .mrk text (CRLF line ends, as MarcEdit does). */
export function createMrkWriter(out: Writable): MarcWriter {
  const output = createBufferedOutput(out);
  return {
    async write(record: MarcRecord) {
      output.append(recordToMrk(record));
      await output.flushIfFull();
    },
    close: () => output.close(),
  };
}

/** Reads .mrk / .mrk8 text. Malformed lines are problems of their record (line number and byte offset). */
export const readMrk: MarcReader = (input: ByteSource, options: ReadOptions = {}) =>
  readMrkItems(input, options.strict ?? false, options.toUtf8 !== false);

interface Line {
  readonly bytes: Buffer;
  readonly number: number;
  readonly byteOffset: number;
}

async function* readMrkItems(input: ByteSource, strict: boolean, toUtf8: boolean): AsyncGenerator<ReadItem> {
  let lines: Line[] = [];
  let n = 0;
  const flush = (): ReadItem | undefined => {
    const item = lines.length > 0 ? parseRecord(lines, ++n, toUtf8) : undefined;
    lines = [];
    if (item && strict && item.problems.length > 0) throw new MarcReadError(item.problems[0]);
    return item;
  };
  for await (const line of splitLines(input)) {
    if (isBlank(line.bytes)) {
      const item = flush();
      if (item) yield item;
    } else lines.push(line);
  }
  const item = flush();
  if (item) yield item;
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09) return false;
  return true;
}

/** Lines without their CR/LF, with 1-based numbers and byte offsets; a UTF-8 BOM is dropped. */
async function* splitLines(input: ByteSource): AsyncGenerator<Line> {
  let rest: Buffer = Buffer.alloc(0);
  let offset = 0;
  let number = 0;
  for await (const chunk of input) {
    // A copy: the lines of a record are kept until it ends, and a source may reuse its buffer for the next chunk.
    let buf = Buffer.concat([rest, chunk]);
    if (offset === 0 && number === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      buf = buf.subarray(3);
      offset = 3;
    }
    let from = 0;
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, from)) {
      yield { bytes: trimCr(buf.subarray(from, nl)), number: ++number, byteOffset: offset + from };
      from = nl + 1;
    }
    offset += from;
    rest = Buffer.from(buf.subarray(from));
  }
  if (rest.length > 0) yield { bytes: trimCr(rest), number: ++number, byteOffset: offset };
}

function trimCr(b: Buffer): Buffer {
  return b.length > 0 && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
}

function parseRecord(lines: Line[], recordNumber: number, toUtf8: boolean): ReadItem {
  const problems: ReadProblem[] = [];
  const report = (line: Line, message: string, tag?: string, severity: ReadProblem["severity"] = "warning") =>
    problems.push({
      severity,
      recordNumber,
      byteOffset: line.byteOffset,
      tag,
      message: `${message} (line ${line.number})`,
    });
  const first = lines[0];
  const head = first.bytes.toString("latin1", 0, 6);
  let leader: string | undefined;
  if (head.startsWith("=LDR")) leader = first.bytes.toString("latin1", 6).replace(/\\/g, " ");
  else report(first, "record does not start with =LDR; a blank leader is used", undefined, "error");
  const marc8 = leader !== undefined && leader[9] === " ";
  // MARC-8 problems are reported on the line and field being decoded (set in the loop below).
  let at = first;
  let atTag: string | undefined;
  const text = marc8 ? marc8Text(toUtf8, (message) => report(at, `MARC-8: ${message}`, atTag)) : utf8Text;
  const fields: Field[] = [];
  for (const line of leader === undefined ? lines : lines.slice(1)) {
    at = line;
    const raw = line.bytes.toString(marc8 ? "latin1" : "utf8");
    if (raw[0] !== "=" || raw.length < 4) {
      report(line, `line does not start with =TAG; ignored: "${raw.slice(0, 30)}"`, undefined, "error");
      continue;
    }
    const tag = raw.slice(1, 4);
    atTag = tag;
    let data = raw.slice(4);
    if (data.startsWith("  ")) data = data.slice(2);
    else {
      report(line, `=${tag} is not followed by two spaces`, tag);
      data = data.trimStart();
    }
    if (tag === "LDR") {
      report(line, "a second =LDR line in one record (missing blank line?); ignored", tag, "error");
      continue;
    }
    if (isControlTag(tag)) fields.push(controlField(tag, text(data.replace(/\\/g, " "))));
    else fields.push(parseDataField(tag, data, text, (m) => report(line, m, tag)));
  }
  if (marc8 && toUtf8 && leader !== undefined) leader = `${leader.slice(0, 9)}a${leader.slice(10)}`;
  return {
    record: createRecord({ leader, fields }),
    recordNumber,
    byteOffset: first.byteOffset,
    problems,
    marc8: marc8 && toUtf8,
  };
}

function parseDataField(tag: string, data: string, text: (s: string) => string, warn: (m: string) => void) {
  const ind = (c: string | undefined) => (c === undefined || c === "\\" ? " " : c);
  const parts = data.slice(2).split("$");
  if (data.length < 2) warn(`=${tag} has no indicators; blanks used`);
  if (parts[0].length > 0) warn(`=${tag}: text before the first $ is kept as subfield " "`);
  const subfields: [string, string][] = parts[0].length > 0 ? [[" ", text(parts[0])]] : [];
  for (const part of parts.slice(1)) {
    if (part.length === 0) warn(`=${tag}: a $ without a subfield code; skipped`);
    else subfields.push([part[0], text(part.slice(1))]);
  }
  return dataField(tag, ind(data[0]), ind(data[1]), subfields);
}

const utf8Text = (s: string): string => decodeMnemonics(s);

/**
 * MARC-8 lines come in as Latin-1 (one character a byte); mnemonics become MARC-8 bytes, then decode;
 * `problem` hears of each undecodable byte (written as U+FFFD).
 */
function marc8Text(toUtf8: boolean, problem: (message: string) => void): (s: string) => string {
  return (s) => {
    const bytes = Buffer.from(marc8Mnemonics(s), "latin1");
    return toUtf8 ? decodeMarc8(bytes, (_at, message) => problem(message)) : bytes.toString("latin1");
  };
}

/** Mnemonics to MARC-8 bytes (as Latin-1 characters); `{U+XXXX}` to a numeric character reference. */
function marc8Mnemonics(s: string): string {
  if (s.indexOf("{") < 0) return s;
  return s.replace(MNEMONIC_PATTERN, (all, name: string) => {
    if (name.startsWith("U+")) {
      const ch = codePoint(name);
      return ch === undefined ? all : `&#x${ch.codePointAt(0)!.toString(16).toUpperCase()};`;
    }
    const m = MNEMONICS.get(name);
    return m === undefined ? all : String.fromCharCode(m.marc8);
  });
}

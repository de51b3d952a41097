/**
 * MARC-in-JSON (the LoC / code4lib format):
 * `{"leader": "...", "fields": [{"001": "..."}, {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": "..."}]}}]}`.
 *
 * The reader takes a single object, an array of objects, or newline-delimited (or simply concatenated)
 * objects, and streams: it splits the bytes into top-level records without parsing the whole document.
 *
 * ```ts
 * recordToMarcJson(record)            // { leader: "...", fields: [...] }
 * marcJsonToRecord(JSON.parse(s), 1)  // MarcRecord, or throws MarcReadError naming record and field
 * ```
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
import {
  controlField,
  createRecord,
  dataField,
  type Field,
  type MarcRecord,
  type Subfield,
} from "./record.js";
import { createBufferedOutput } from "./xml/buffered-output.js";

/** The plain object of one record in MARC-in-JSON. */
export interface MarcJsonRecord {
  leader: string;
  fields: Record<string, string | { ind1: string; ind2: string; subfields: Record<string, string>[] }>[];
}

/** A record as a MARC-in-JSON object (ready for JSON.stringify). */
export function recordToMarcJson(record: MarcRecord): MarcJsonRecord {
  return {
    leader: record.leader,
    fields: record.fields.map((f) =>
      f.kind === "control"
        ? { [f.tag]: f.value }
        : {
            [f.tag]: {
              ind1: f.ind1,
              ind2: f.ind2,
              subfields: f.subfields.map((s) => ({ [s.code]: s.value })),
            },
          },
    ),
  };
}

/** A MARC-in-JSON object as a record. Throws MarcReadError (record number, field) on the first problem. */
export function marcJsonToRecord(obj: unknown, recordNumber: number): MarcRecord {
  const problems: ReadProblem[] = [];
  const record = convertMarcJson(obj, recordNumber, problems);
  if (problems.length > 0) throw new MarcReadError(problems[0]);
  return record;
}

/** Converts what it can, pushing a problem for everything it has to skip or repair. */
export function convertMarcJson(
  obj: unknown,
  recordNumber: number,
  problems: ReadProblem[],
  byteOffset?: number,
): MarcRecord {
  const report = (severity: ReadProblem["severity"], message: string, tag?: string) =>
    problems.push({ severity, recordNumber, byteOffset, tag, message });
  if (!isObject(obj)) {
    report("error", `a record must be a JSON object, not ${describe(obj)}`);
    return createRecord();
  }
  let leader: string | undefined;
  if (typeof obj.leader === "string") leader = obj.leader;
  else
    report(
      obj.leader === undefined ? "warning" : "error",
      `leader is ${describe(obj.leader)}; a blank leader is used`,
    );
  if (leader !== undefined && leader.length !== 24)
    report("warning", `leader is ${leader.length} characters, not 24`);
  const fields: Field[] = [];
  if (!Array.isArray(obj.fields)) report("error", `"fields" is ${describe(obj.fields)}, not an array`);
  else
    obj.fields.forEach((raw: unknown, i: number) => {
      const field = convertField(raw, `field ${i + 1}`, report);
      if (field) fields.push(field);
    });
  return createRecord({ leader, fields });
}

type Report = (severity: ReadProblem["severity"], message: string, tag?: string) => void;

function convertField(raw: unknown, where: string, report: Report): Field | undefined {
  const keys = isObject(raw) ? Object.keys(raw) : [];
  if (!isObject(raw) || keys.length !== 1) {
    report("error", `${where} must be an object with one tag, not ${describe(raw)}; skipped`);
    return undefined;
  }
  const tag = keys[0];
  const value = raw[tag];
  const at = `${where} (${tag})`;
  if (tag.length !== 3) report("warning", `${at}: tag is not 3 characters`, tag);
  if (typeof value === "string") return controlField(tag, value);
  if (!isObject(value)) {
    report("error", `${at}: value is ${describe(value)}, not a string or an object; skipped`, tag);
    return undefined;
  }
  const ind = (name: "ind1" | "ind2"): string => {
    const v = value[name];
    if (typeof v === "string" && v.length === 1) return v;
    report("warning", `${at}: ${name} is ${describe(v)}; blank used`, tag);
    return " ";
  };
  const ind1 = ind("ind1");
  const ind2 = ind("ind2");
  const subfields: Subfield[] = [];
  if (!Array.isArray(value.subfields))
    report("error", `${at}: subfields is ${describe(value.subfields)}, not an array`, tag);
  else
    value.subfields.forEach((s: unknown, j: number) => {
      const codes = isObject(s) ? Object.keys(s) : [];
      const v = codes.length === 1 ? (s as Record<string, unknown>)[codes[0]] : undefined;
      if (typeof v !== "string") {
        report(
          "error",
          `${at}, subfield ${j + 1}: must be {"code": "text"}, not ${describe(s)}; skipped`,
          tag,
        );
        return;
      }
      if (codes[0].length !== 1)
        report("warning", `${at}, subfield ${j + 1}: code "${codes[0]}" is not one character`, tag);
      subfields.push({ code: codes[0], value: v });
    });
  return dataField(tag, ind1, ind2, subfields);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `"${v.length > 20 ? `${v.slice(0, 20)}...` : v}"`;
  return typeof v === "object" ? "an object" : `a ${typeof v} (${String(v)})`;
}

/**
 * Reads MARC-in-JSON: a single object, an array, or newline-delimited objects. A JSON syntax error is a
 * problem of that record (line and byte offset); raw control characters inside strings are recovered.
 */
export const readMarcJson: MarcReader = (input: ByteSource, options: ReadOptions = {}) =>
  readJsonItems(input, options.strict ?? false);

async function* readJsonItems(input: ByteSource, strict: boolean): AsyncGenerator<ReadItem> {
  const splitter = new JsonRecordSplitter();
  let n = 0;
  const toItem = (piece: JsonPiece): ReadItem => {
    n++;
    const problems: ReadProblem[] = piece.problem
      ? [{ severity: "error", recordNumber: n, byteOffset: piece.byteOffset, message: piece.problem }]
      : [];
    let record = createRecord();
    if (piece.bytes !== undefined) {
      const parsed = parseLeniently(Buffer.from(piece.bytes).toString("utf8"), piece.line);
      if (parsed.problem)
        problems.push({
          severity: "error",
          recordNumber: n,
          byteOffset: piece.byteOffset,
          message: parsed.problem,
        });
      if (parsed.ok) record = convertMarcJson(parsed.value, n, problems, piece.byteOffset);
    }
    if (strict && problems.length > 0) throw new MarcReadError(problems[0]);
    return { record, recordNumber: n, byteOffset: piece.byteOffset, problems };
  };
  for await (const chunk of input) for (const piece of splitter.feed(chunk)) yield toItem(piece);
  for (const piece of splitter.end()) yield toItem(piece);
}

type Parsed = { ok: true; value: unknown; problem?: string } | { ok: false; problem: string };

/** JSON.parse; on failure, a second try with raw control characters in strings escaped (a common breakage). */
function parseLeniently(text: string, line: number): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const problem = `invalid JSON: ${locate((err as Error).message, text, line)}`;
    try {
      return {
        ok: true,
        value: JSON.parse(escapeRawControls(text)),
        problem: `${problem}; recovered, control characters kept`,
      };
    } catch {
      return { ok: false, problem };
    }
  }
}

/** Turns "... at position 123 ..." into "... (line L, column C)" of the whole document. */
function locate(message: string, text: string, firstLine: number): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const lines = before.split("\n");
  const column = lines[lines.length - 1].length + 1;
  return `${message.replace(/ in JSON at position \d+.*$/, "")} (line ${firstLine + lines.length - 1}, column ${column})`;
}

function escapeRawControls(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString && c < 0x20) {
      out += `\\u${c.toString(16).padStart(4, "0")}`;
      continue;
    }
    if (c === 0x22) inString = !inString;
    else if (c === 0x5c && inString) {
      out += text[i] + (text[i + 1] ?? "");
      i++;
      continue;
    }
    out += text[i];
  }
  return out;
}

interface JsonPiece {
  /** The bytes of one top-level value, or undefined when only a problem is reported. */
  readonly bytes?: Uint8Array;
  readonly byteOffset: number;
  readonly line: number;
  readonly problem?: string;
}

/**
 * Splits a byte stream into top-level JSON objects (or the elements of one top-level array) by tracking
 * strings and nesting; works on bytes, so offsets are exact (UTF-8 never puts ASCII bytes inside characters).
 */
class JsonRecordSplitter {
  private pending: Uint8Array = new Uint8Array(0);
  /** Absolute offset of pending[0]. */
  private base = 0;
  private line = 1;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Depth at which record objects start: 0 for objects, 1 inside a top-level array. */
  private recordDepth = -1;
  private start = -1;
  private startLine = 1;
  private scanned = 0;
  /** A problem found between records, reported with the next record (or alone at the end). */
  private stray: { message: string; byteOffset: number; line: number } | undefined;

  *feed(chunk: Uint8Array): Generator<JsonPiece> {
    // Keep only the bytes of an unfinished record; everything before it has been scanned and released.
    const keepFrom = this.start >= 0 ? this.start : this.pending.length;
    this.base += keepFrom;
    this.pending = concat(this.pending.subarray(keepFrom), chunk);
    this.scanned -= keepFrom;
    if (this.start >= 0) this.start = 0;
    yield* this.scan();
  }

  *end(): Generator<JsonPiece> {
    if (this.start >= 0)
      this.noteStray(this.start, "truncated JSON: the input ends inside a record", this.startLine);
    else if (this.recordDepth === 1 && this.depth > 0)
      this.noteStray(this.scanned, "truncated JSON: the top-level array is not closed", this.line);
    if (this.stray) yield { ...this.stray, problem: this.stray.message };
    this.stray = undefined;
  }

  private *scan(): Generator<JsonPiece> {
    const b = this.pending;
    for (let i = this.scanned; i < b.length; i++) {
      const c = b[i];
      if (c === 0x0a) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (this.recordDepth < 0) this.recordDepth = c === 0x5b ? 1 : 0;
        if (this.depth === this.recordDepth && this.start < 0) {
          if (c === 0x5b) this.noteStray(i, "an array where a record object was expected");
          this.start = i;
          this.startLine = this.line;
        }
        this.depth++;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === this.recordDepth && this.start >= 0) {
          const problem = this.stray?.message;
          this.stray = undefined;
          yield {
            bytes: b.slice(this.start, i + 1),
            byteOffset: this.base + this.start,
            line: this.startLine,
            problem,
          };
          this.start = -1;
        } else if (this.depth < 0) {
          this.depth = 0;
          this.noteStray(i, `unexpected '${String.fromCharCode(c)}'`);
        } else if (this.depth === 0 && this.recordDepth === 1) this.recordDepth = -1;
      } else if (this.start < 0 && c > 0x20 && c !== 0x2c && this.depth === this.recordDepth)
        this.noteStray(i, `unexpected '${String.fromCharCode(c)}' between records`);
      else if (this.start < 0 && c > 0x20 && this.recordDepth < 0)
        this.noteStray(i, "text that is not a JSON object");
    }
    this.scanned = b.length;
  }

  /** Keeps the first stray problem until a record (or the end) can carry it. */
  private noteStray(i: number, message: string, line = this.line): void {
    this.stray ??= { byteOffset: this.base + i, line, message: `invalid JSON: ${message} (line ${line})` };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  return Buffer.concat([a, b]);
}

/** Writes a JSON array of records (default), or one record per line with `ndjson: true`. */
export function createMarcJsonWriter(out: Writable, options: { ndjson?: boolean } = {}): MarcWriter {
  const output = createBufferedOutput(out);
  const ndjson = options.ndjson ?? false;
  let count = 0;
  return {
    async write(record: MarcRecord) {
      const json = JSON.stringify(recordToMarcJson(record));
      output.append(ndjson ? `${json}\n` : `${count === 0 ? "[\n" : ",\n"}${json}`);
      count++;
      await output.flushIfFull();
    },
    async close() {
      if (!ndjson) output.append(count === 0 ? "[]\n" : "\n]\n");
      await output.close();
    },
  };
}

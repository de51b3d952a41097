/**
 * MARCXML to ISO 2709 straight from bytes to bytes. A collection of plain `<record>`s (what yaz-marcdump,
 * MARC exports and Nightshift itself write) is scanned on its UTF-8 bytes and each record's fields are
 * copied into an ISO 2709 record without building a record or any string: tokenizing into strings, building
 * the record and encoding it again cost four times yaz-marcdump's time on large files.
 *
 * The scanner knows only what such files hold: an XML declaration, a document element declaring the
 * namespaces, and records of leader / controlfield / datafield / subfield elements with the usual
 * attributes, text with the predefined entities and character references. At the first thing it does not
 * handle itself (a comment, CDATA, a DOCTYPE, another element, an unusual attribute, a control character,
 * invalid UTF-8, a record ISO 2709 cannot hold...), the full reader (marcxml-reader.ts) takes over the rest of
 * the document, starting with the last record the scanner made (held back until then), so record numbers,
 * byte offsets, lines and problems are exactly the reader's, and the writer's messages for records it
 * refuses too.
 */
import { isUtf8 } from "node:buffer";
import type { ByteSource, ConvertItem, ReadOptions, ReadProblem } from "../codec.js";
import { FT, RT, SD } from "../iso2709/bytes.js";
import { MarcXmlParser } from "../marcxml-reader.js";
import { createXmlTextDecoder } from "../xml/decode.js";
import { isXmlChar } from "../xml/entities.js";
import { isMarcNamespace, ROOT_SCOPE, type Scope, scopeFor } from "../xml/namespaces.js";

/** Bytes handed to the full reader at a time (as marcxml-reader.ts feeds itself). */
const FEED_BYTES = 64 * 1024;
/** A record not closed within this many bytes goes to the full reader (it bounds the scanner's memory). */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;
/** The XML declaration must end within the bytes the reader chooses the encoding from. */
const HEAD_BYTES = 256;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const AMP = 0x26;
const EQ = 0x3d;
const NL = 0x0a;
const NO_PROBLEMS: readonly ReadProblem[] = Object.freeze([]);

const ascii = (text: string) => Buffer.from(text, "latin1");
const NAME_TAG = ascii("tag");
const NAME_IND1 = ascii("ind1");
const NAME_IND2 = ascii("ind2");
const NAME_CODE = ascii("code");

function isSpace(b: number): boolean {
  return b === 0x20 || b === NL || b === 0x09 || b === 0x0d;
}

/** Bytes that end an element or attribute name (as the tokenizer's `endsName`). */
function endsName(b: number): boolean {
  return b <= 0x20 || b === SLASH || b === GT || b === EQ || b === 0x22 || b === 0x27 || b === LT;
}

/** The start and end tags of the MARC elements with the records' namespace prefix. */
class Names {
  readonly recordOpen: Buffer;
  readonly recordClose: Buffer;
  readonly leaderOpen: Buffer;
  readonly leaderClose: Buffer;
  readonly controlOpen: Buffer;
  readonly controlClose: Buffer;
  readonly dataOpen: Buffer;
  readonly dataClose: Buffer;
  readonly subfieldOpen: Buffer;
  readonly subfieldClose: Buffer;

  constructor(prefix: string) {
    const q = prefix === "" ? "" : `${prefix}:`;
    this.recordOpen = ascii(`<${q}record>`);
    this.recordClose = ascii(`</${q}record>`);
    this.leaderOpen = ascii(`<${q}leader>`);
    this.leaderClose = ascii(`</${q}leader>`);
    this.controlOpen = ascii(`<${q}controlfield`);
    this.controlClose = ascii(`</${q}controlfield>`);
    this.dataOpen = ascii(`<${q}datafield`);
    this.dataClose = ascii(`</${q}datafield>`);
    this.subfieldOpen = ascii(`<${q}subfield`);
    this.subfieldClose = ascii(`</${q}subfield>`);
  }
}

/** Where the full reader would start: a record start (or the document element's content) and what precedes. */
interface Mark {
  index: number;
  line: number;
  recordsBefore: number;
}

const PROLOG = 0;
const BODY = 1;
const AFTER = 2;

export async function* marcXmlToIso2709(
  input: ByteSource,
  options: ReadOptions = {},
): AsyncGenerator<ConvertItem> {
  const strict = options.strict === true;
  const scanner = new Scanner();
  let full: MarcXmlParser | undefined;
  for await (const chunk of input) {
    if (full) {
      yield* feed(full, chunk);
      continue;
    }
    scanner.append(chunk);
    yield* scanner.scan(false);
    full = scanner.takeOver(strict);
    if (full) yield* feed(full, scanner.rest());
  }
  if (!full) {
    yield* scanner.scan(true);
    full = scanner.takeOver(strict);
    if (full) yield* feed(full, scanner.rest());
  }
  if (full) {
    full.end();
    yield* full.out.splice(0);
  }
}

function* feed(parser: MarcXmlParser, bytes: Uint8Array): Generator<ConvertItem> {
  for (let at = 0; at < bytes.length; at += FEED_BYTES) {
    parser.feed(bytes.subarray(at, at + FEED_BYTES));
    if (parser.out.length > 0) yield* parser.out.splice(0);
  }
}

interface Held {
  encoded: Buffer;
  recordNumber: number;
  byteOffset: number;
}

class Scanner {
  /** Unscanned input (and the held record's bytes), copied out of the source's chunks. */
  private work: Buffer = Buffer.allocUnsafe(2 * 1024 * 1024);
  private length = 0;
  /** Absolute offset of work[0] in the document. */
  private base = 0;
  private pos = 0;
  /** 1-based line of `pos`. */
  private line = 1;
  private phase = PROLOG;
  private count = 0;
  private mark: Mark = { index: 0, line: 1, recordsBefore: 0 };
  private held: Held | undefined;
  private root = "";
  private scope: Scope = ROOT_SCOPE;
  private names: Names | undefined;
  /** Set when the full reader must take over from `mark` (from the start when still in the prolog). */
  private handOver = false;
  /** The end of the last record end tag in `work` (-1: none), for `length` `limitFor`. */
  private limit = -1;
  private limitFor = -1;
  private readonly encoder = new RecordEncoder();
  private readonly outputs: Buffer[] = [Buffer.allocUnsafe(128 * 1024), Buffer.allocUnsafe(128 * 1024)];
  private turn = 0;

  append(chunk: Uint8Array): void {
    const keep = this.phase === PROLOG ? 0 : this.mark.index;
    if (keep > 0) {
      this.work.copy(this.work, 0, keep, this.length);
      this.length -= keep;
      this.base += keep;
      this.pos -= keep;
      this.mark.index -= keep;
    }
    if (this.length + chunk.length > this.work.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.work.length, this.length + chunk.length));
      this.work.copy(grown, 0, 0, this.length);
      this.work = grown;
    }
    this.work.set(chunk, this.length);
    this.length += chunk.length;
  }

  /** The full reader, set up where the scanner stops, once it has to; undefined while the scanner goes on. */
  takeOver(strict: boolean): MarcXmlParser | undefined {
    if (!this.handOver) return undefined;
    this.held = undefined; // the full reader reads it again
    if (this.phase === PROLOG) {
      this.mark = { index: 0, line: 1, recordsBefore: 0 };
      return new MarcXmlParser(this.work.subarray(0, Math.min(this.length, HEAD_BYTES)), strict, false);
    }
    const { index, line, recordsBefore } = this.mark;
    return MarcXmlParser.resumed(strict, {
      byteOffset: this.base + index,
      line,
      recordsBefore,
      root: this.root,
      scope: this.scope,
    });
  }

  /** The input from where the full reader starts. */
  rest(): Buffer {
    return this.work.subarray(this.mark.index, this.length);
  }

  *scan(eof: boolean): Generator<ConvertItem> {
    if (this.phase === PROLOG) {
      const prolog = this.prolog(eof);
      if (prolog === 0) return;
      if (prolog < 0) {
        this.handOver = true;
        return;
      }
    }
    const work = this.work;
    for (;;) {
      let pos = this.pos;
      while (pos < this.length && isSpace(work[pos])) if (work[pos++] === NL) this.line++;
      this.pos = pos;
      if (pos >= this.length) {
        if (!eof) return;
        if (this.phase === AFTER) {
          if (this.held) yield this.release();
          return;
        }
        this.handOver = true; // the document element is not closed: the reader says so
        return;
      }
      const names = this.phase === BODY ? this.recordNames(pos, eof) : undefined;
      if (names === null) return; // more input needed
      if (names === undefined || this.phase !== BODY) {
        if (this.phase === BODY && this.closesRoot(pos)) {
          this.pos = pos + this.root.length + 3;
          this.phase = AFTER;
          continue;
        }
        this.handOver = true;
        return;
      }
      // Records end before the last record end tag in the buffer (found once per chunk, from the end).
      if (this.limitFor !== this.length) {
        const close = work.lastIndexOf(names.recordClose, this.length - names.recordClose.length);
        this.limit = close < 0 ? -1 : close + names.recordClose.length;
        this.limitFor = this.length;
        // One UTF-8 check for all the complete records (they split at ASCII bytes), not one per record.
        this.encoder.checkUtf8 = pos >= this.limit || !isUtf8(work.subarray(pos, this.limit));
      }
      if (pos >= this.limit) {
        if (eof || this.length - pos > MAX_RECORD_BYTES) this.handOver = true;
        return;
      }
      const out = this.outputs[this.turn];
      const encoded = this.encoder.encode(work, pos, this.limit, names, out);
      if (encoded === undefined) {
        this.handOver = true;
        return;
      }
      if (encoded.buffer !== out.buffer) this.outputs[this.turn] = Buffer.from(encoded.buffer);
      this.turn ^= 1;
      const previous = this.held;
      this.held = {
        encoded,
        recordNumber: ++this.count,
        byteOffset: this.base + pos,
      };
      this.mark.index = pos;
      this.mark.line = this.line;
      this.mark.recordsBefore = this.count - 1;
      this.line += this.encoder.lines;
      this.pos = this.encoder.end;
      if (previous) yield item(previous);
    }
  }

  private release(): ConvertItem {
    const held = this.held!;
    this.held = undefined;
    return item(held);
  }

  /**
   * The names of a MARC record starting at `pos` (`<record>` in a MARC namespace, no attributes); undefined
   * when something else starts there, null when more input is needed to tell.
   */
  private recordNames(pos: number, eof: boolean): Names | undefined | null {
    const work = this.work;
    if (this.names) {
      const open = this.names.recordOpen;
      if (pos + open.length > this.length) return eof ? undefined : null;
      return same(work, pos, open) ? this.names : undefined;
    }
    if (work[pos] !== LT) return undefined;
    let p = pos + 1;
    while (p < this.length && !endsName(work[p])) p++;
    if (p >= this.length) return eof ? undefined : null;
    if (work[p] !== GT) return undefined;
    const name = work.toString("latin1", pos + 1, p);
    const colon = name.indexOf(":");
    const prefix = colon < 0 ? "" : name.slice(0, colon);
    if (name.slice(colon + 1) !== "record" || /[^A-Za-z0-9_.-]/.test(prefix)) return undefined;
    const uri = this.scope.get(prefix);
    if (uri === undefined || !isMarcNamespace(uri)) return undefined;
    this.names = new Names(prefix);
    return this.names;
  }

  private closesRoot(pos: number): boolean {
    const close = `</${this.root}>`;
    return (
      pos + close.length <= this.length && this.work.toString("latin1", pos, pos + close.length) === close
    );
  }

  /**
   * The XML declaration and the document element's start tag: 1 when read (the body is next), 0 when more
   * input is needed, -1 for anything the scanner leaves to the full reader.
   */
  private prolog(eof: boolean): number {
    const length = this.length;
    const work = this.work.subarray(0, length);
    if (length < HEAD_BYTES && !eof) return 0;
    let p = 0;
    if (work[0] === 0xef && work[1] === 0xbb && work[2] === 0xbf) p = 3;
    const decoder = createXmlTextDecoder(work.subarray(0, Math.min(length, HEAD_BYTES)));
    if (decoder.problem || decoder.bomLength === 2 || new TextDecoder(decoder.encoding).encoding !== "utf-8")
      return -1;
    if (work.toString("latin1", p, p + 5) === "<?xml") {
      const end = work.indexOf("?>", p);
      if (end < 0 || end + 2 > Math.min(length, HEAD_BYTES)) return -1;
      p = end + 2;
    }
    let line = 1;
    for (let i = 0; i < p; i++) if (work[i] === NL) line++;
    while (p < length && isSpace(work[p])) if (work[p++] === NL) line++;
    if (p >= length || work[p] !== LT) return -1;
    const nameStart = p + 1;
    p = nameStart;
    while (p < length && !endsName(work[p])) p++;
    const name = work.toString("latin1", nameStart, p);
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.-]*)?$/.test(name)) return -1;
    const attrs: string[] = [];
    for (;;) {
      const spaced = p < length && isSpace(work[p]);
      while (p < length && isSpace(work[p])) if (work[p++] === NL) line++;
      if (p >= length) return -1;
      if (work[p] === GT) break;
      if (!spaced) return -1;
      const attrStart = p;
      while (p < length && !endsName(work[p])) p++;
      const attr = work.toString("latin1", attrStart, p);
      if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(attr) || attrs.includes(attr)) return -1;
      if (work[p] !== EQ || (work[p + 1] !== 0x22 && work[p + 1] !== 0x27)) return -1;
      const close = work.indexOf(work[p + 1], p + 2);
      if (close < 0) return -1;
      for (let i = p + 2; i < close; i++) if (work[i] < 0x20 || work[i] === LT || work[i] === AMP) return -1;
      if (!isUtf8(work.subarray(p + 2, close))) return -1;
      attrs.push(attr, work.toString("utf8", p + 2, close));
      p = close + 1;
    }
    const scope = scopeFor(ROOT_SCOPE, attrs);
    const colon = name.indexOf(":");
    const uri = scope.get(colon < 0 ? "" : name.slice(0, colon));
    if (uri === undefined || (name.slice(colon + 1) === "record" && isMarcNamespace(uri))) return -1;
    this.root = name;
    this.scope = scope;
    this.pos = p + 1;
    this.line = line;
    this.mark = { index: this.pos, line, recordsBefore: 0 };
    this.phase = BODY;
    return 1;
  }
}

function item(held: Held): ConvertItem {
  return {
    encoded: held.encoded,
    recordNumber: held.recordNumber,
    byteOffset: held.byteOffset,
    problems: NO_PROBLEMS,
  };
}

/** One `<record>` element's bytes to an ISO 2709 record, as the reader and the ISO 2709 writer make it. */
class RecordEncoder {
  /** The data area being built: field texts, each with its field terminator. */
  private data = Buffer.allocUnsafe(128 * 1024);
  private used = 0;
  private tags: number[] = [];
  private lengths: number[] = [];
  private readonly leaderBytes = Buffer.alloc(24);
  private leader = -1;
  /** Line ends in the last record's XML. */
  lines = 0;
  /** Where the last record's end tag ends. */
  end = 0;
  /** False when the record's bytes are known to be valid UTF-8. */
  checkUtf8 = true;
  private work: Buffer = this.data;
  private value = 0;

  /**
   * Encodes the record starting at `work[start]` (`<record>`, its `</record>` at or before `limit`; its end
   * goes to `end`) into `out` (or a larger buffer); undefined when the record needs the full reader.
   */
  encode(work: Buffer, start: number, limit: number, names: Names, out: Buffer): Buffer | undefined {
    if (this.data.length < limit - start) this.data = Buffer.allocUnsafe(2 * (limit - start));
    this.work = work;
    this.used = 0;
    this.tags.length = 0;
    this.lengths.length = 0;
    this.leader = -1;
    this.lines = 0;
    const last = limit;
    let p = start + names.recordOpen.length;
    for (;;) {
      p = this.space(p, last);
      if (p >= last || work[p] !== LT) return undefined;
      if (this.at(p, names.recordClose)) {
        this.end = p + names.recordClose.length;
        break;
      }
      if (this.at(p, names.leaderOpen)) {
        if (this.leader >= 0) return undefined;
        p = this.text(p + names.leaderOpen.length, last);
        if (p < 0 || !this.at(p, names.leaderClose)) return undefined;
        p += names.leaderClose.length;
        // The leader is written from its characters' low bytes: 24 ASCII characters come out as they are.
        if (this.used - this.value !== 24) return undefined;
        for (let i = this.value; i < this.used; i++) if (this.data[i] >= 0x80) return undefined;
        this.data.copy(this.leaderBytes, 0, this.value, this.used);
        this.used = this.value;
        this.leader = 0;
      } else if (this.atElement(p, names.controlOpen)) {
        p = this.attributes(p + names.controlOpen.length, last, false);
        if (p < 0 || this.tag < 0 || this.ind1 >= 0 || this.code >= 0) return undefined;
        const tag = this.tag;
        p = this.text(p, last);
        if (p < 0 || !this.at(p, names.controlClose)) return undefined;
        p += names.controlClose.length;
        if (!this.endField(tag, this.value)) return undefined;
      } else if (this.atElement(p, names.dataOpen)) {
        p = this.attributes(p + names.dataOpen.length, last, false);
        if (p < 0 || this.tag < 0 || this.ind1 < 0 || this.ind2 < 0 || this.code >= 0) return undefined;
        const tag = this.tag;
        const fieldStart = this.used;
        this.data[this.used++] = work[this.ind1];
        this.data[this.used++] = work[this.ind2];
        for (;;) {
          p = this.space(p, last);
          if (p >= last || work[p] !== LT) return undefined;
          if (this.at(p, names.dataClose)) {
            p += names.dataClose.length;
            break;
          }
          if (!this.atElement(p, names.subfieldOpen)) return undefined;
          p = this.attributes(p + names.subfieldOpen.length, last, true);
          if (p < 0 || this.code < 0 || this.tag >= 0 || this.ind1 >= 0 || this.ind2 >= 0) return undefined;
          this.data[this.used++] = SD;
          this.data[this.used++] = work[this.code];
          p = this.text(p, last);
          if (p < 0 || !this.at(p, names.subfieldClose)) return undefined;
          p += names.subfieldClose.length;
        }
        if (!this.endField(tag, fieldStart)) return undefined;
      } else return undefined;
    }
    if (this.leader < 0 || (this.checkUtf8 && !isUtf8(work.subarray(start, this.end)))) return undefined;
    return this.assemble(out);
  }

  /** Ends the field begun at `fieldStart` (its terminator); false past ISO 2709's limits (the writer's). */
  private endField(tag: number, fieldStart: number): boolean {
    this.data[this.used++] = FT;
    const length = this.used - fieldStart;
    if (length > 9999 || fieldStart > 99999) return false;
    this.tags.push(tag);
    this.lengths.push(length);
    return true;
  }

  private assemble(out: Buffer): Buffer | undefined {
    const n = this.tags.length;
    const base = 24 + 12 * n + 1;
    const length = base + this.used + 1;
    if (length > 99999) return undefined;
    let target = out;
    if (target.length < length) target = Buffer.allocUnsafe(2 * length);
    const data = this.data;
    const work = this.work;
    // Leader: its text, then what the writer sets (lengths, Leader/09 'a', 22, 4500).
    this.leaderBytes.copy(target, 0);
    digits(target, 0, 5, length);
    target[9] = 0x61;
    target[10] = 0x32;
    target[11] = 0x32;
    digits(target, 12, 5, base);
    target[20] = 0x34;
    target[21] = 0x35;
    target[22] = 0x30;
    target[23] = 0x30;
    let p = 24;
    let offset = 0;
    for (let i = 0; i < n; i++, p += 12) {
      const len = this.lengths[i];
      const tag = this.tags[i];
      target[p] = work[tag];
      target[p + 1] = work[tag + 1];
      target[p + 2] = work[tag + 2];
      digits(target, p + 3, 4, len);
      digits(target, p + 7, 5, offset);
      offset += len;
    }
    target[p] = FT;
    data.copy(target, base, 0, this.used);
    target[length - 1] = RT;
    return target.subarray(0, length);
  }

  // Attributes of the element being read: indexes in `work` of the values (-1 when absent).
  private tag = -1;
  private ind1 = -1;
  private ind2 = -1;
  private code = -1;

  /**
   * Reads the attributes after an element name up to `>`: tag (3 ASCII characters), ind1, ind2, code (one
   * ASCII character each), in either quotes, nothing else. Returns the index after `>`, or -1.
   */
  private attributes(p0: number, last: number, subfield: boolean): number {
    const work = this.work;
    this.tag = this.ind1 = this.ind2 = this.code = -1;
    let p = p0;
    for (;;) {
      const spaced = isSpace(work[p]);
      p = this.space(p, last);
      if (p >= last) return -1;
      if (work[p] === GT) return p + 1;
      if (!spaced) return -1;
      const nameStart = p;
      while (p < last && !endsName(work[p])) p++;
      const nameLength = p - nameStart;
      if (work[p] !== EQ) return -1;
      const quote = work[p + 1];
      if (quote !== 0x22 && quote !== 0x27) return -1;
      const valueStart = p + 2;
      // Values are a few ASCII characters: a loop finds the closing quote sooner than indexOf's call.
      let close = valueStart;
      for (; close < last && work[close] !== quote; close++) {
        const b = work[close];
        if (b < 0x20 || b >= 0x7f || b === LT || b === AMP) return -1;
      }
      if (close >= last) return -1;
      const width = close - valueStart;
      if (subfield) {
        if (!this.named(nameStart, nameLength, NAME_CODE) || this.code >= 0 || width !== 1) return -1;
        this.code = valueStart;
      } else if (this.named(nameStart, nameLength, NAME_TAG)) {
        if (this.tag >= 0 || width !== 3) return -1;
        this.tag = valueStart;
      } else if (this.named(nameStart, nameLength, NAME_IND1)) {
        if (this.ind1 >= 0 || width !== 1) return -1;
        this.ind1 = valueStart;
      } else if (this.named(nameStart, nameLength, NAME_IND2)) {
        if (this.ind2 >= 0 || width !== 1) return -1;
        this.ind2 = valueStart;
      } else return -1;
      p = close + 1;
    }
  }

  private named(at: number, length: number, name: Buffer): boolean {
    return length === name.length && same(this.work, at, name);
  }

  /** Skips white space (counting line ends). */
  private space(p0: number, last: number): number {
    const work = this.work;
    let p = p0;
    while (p < last && isSpace(work[p])) if (work[p++] === NL) this.lines++;
    return p;
  }

  private at(p: number, bytes: Buffer): boolean {
    return same(this.work, p, bytes);
  }

  /** `bytes` (a start tag's `<name`) at p, followed by white space (attributes) or `>`. */
  private atElement(p: number, bytes: Buffer): boolean {
    const after = this.work[p + bytes.length];
    return (isSpace(after) || after === GT) && this.at(p, bytes);
  }

  /**
   * Copies element content from `p0` up to the next `<` into the data area (its start in `value`), with the
   * predefined entities and character references resolved; -1 for what only the reader handles (a control
   * character other than tab and line feed, CR, U+FFFE/U+FFFF, an unknown or malformed reference, a
   * reference to a control character).
   */
  private text(p0: number, last: number): number {
    const work = this.work;
    const data = this.data;
    let used = this.used;
    this.value = used;
    let p = p0;
    for (; p < last; p++) {
      const b = work[p];
      if (b > AMP) {
        if (b === LT) break;
        // U+FFFE and U+FFFF are valid UTF-8 but not XML characters: the reader reports them.
        if (b === 0xef && work[p + 1] === 0xbf && (work[p + 2] === 0xbe || work[p + 2] === 0xbf)) return -1;
        data[used++] = b;
      } else if (b === AMP) {
        const semi = work.indexOf(0x3b, p + 1);
        if (semi < 0 || semi > last || semi - p > 12) return -1;
        const cp = reference(work, p + 1, semi);
        if (cp < 0x20 || !isXmlChar(cp)) return -1;
        used += data.write(String.fromCodePoint(cp), used, "utf8");
        p = semi;
      } else if (b >= 0x20 || b === 0x09) data[used++] = b;
      else if (b === NL) {
        data[used++] = b;
        this.lines++;
      } else return -1;
    }
    this.used = used;
    return p;
  }
}

/** The code point of the reference `work[from, semi)` (after `&`, before `;`), or -1. */
function reference(work: Buffer, from: number, semi: number): number {
  const length = semi - from;
  if (work[from] === 0x23) {
    const hex = work[from + 1] === 0x78;
    const start = hex ? from + 2 : from + 1;
    if (semi === start || semi - start > (hex ? 8 : 10)) return -1;
    let cp = 0;
    for (let i = start; i < semi; i++) {
      const b = work[i];
      let d: number;
      if (b >= 0x30 && b <= 0x39) d = b - 0x30;
      else if (hex && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) d = (b | 0x20) - 0x61 + 10;
      else return -1;
      cp = cp * (hex ? 16 : 10) + d;
    }
    return cp;
  }
  const name = work.toString("latin1", from, semi);
  if (length === 3 && name === "amp") return 0x26;
  if (length === 2 && name === "lt") return 0x3c;
  if (length === 2 && name === "gt") return 0x3e;
  if (length === 4 && name === "quot") return 0x22;
  if (length === 4 && name === "apos") return 0x27;
  return -1;
}

/** `bytes` at `at` in `work` (a loop: Buffer.compare's checks cost more than the comparison of a few bytes). */
function same(work: Buffer, at: number, bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (work[at + i] !== bytes[i]) return false;
  return true;
}

function digits(target: Buffer, at: number, width: number, n: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    target[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

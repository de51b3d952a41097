/** The slow path of `decodeMarc8`: escapes, G0/G1 tables, combining marks, NCRs, problems. */
import { type CharsetTable, charsetFor, controlText, FINAL_ANSEL, FINAL_ASCII } from "./charset-table.js";
import { ESC, hex, parseEscape } from "./escape.js";
import { parseNcr } from "./ncr.js";

/** Receives each problem: index of the offending byte in the field's data, and what is wrong. */
export type Marc8Report = (byteIndex: number, message: string) => void;

const REPLACEMENT = "\uFFFD";
const SUBFIELD_DELIMITER = 0x1f;

/** The state of one field: designated sets, output so far, combining marks waiting for their base. */
export class FieldDecoder {
  private g0: CharsetTable = charsetFor(FINAL_ASCII)!;
  private g1: CharsetTable = charsetFor(FINAL_ANSEL)!;
  private out = "";
  private pending = "";
  private pendingAt = -1;
  private i = 0;
  /** End of the last undefined multibyte character: a resync inside it adds no second U+FFFD. */
  private badUntil = -1;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly report: Marc8Report,
  ) {}

  /** G0 = ASCII, G1 = ANSEL: at the start of the field and of every subfield. */
  private designateDefaults(): void {
    this.g0 = charsetFor(FINAL_ASCII)!;
    this.g1 = charsetFor(FINAL_ANSEL)!;
  }

  run(): string {
    const { bytes } = this;
    while (this.i < bytes.length) {
      const b = bytes[this.i]!;
      if (b === ESC) this.escape();
      else if (b <= 0x20 || b === 0x7f) this.passThrough(b);
      else if (b === 0x26 && this.g0.final === FINAL_ASCII) this.ampersand();
      else if (b < 0x80) this.graphic(this.g0, 0x21);
      else if (b >= 0xa1 && b <= 0xfe) this.graphic(this.g1, 0xa1);
      else this.control(b);
    }
    if (this.pending) this.flushOrphanMarks("at end of field");
    return this.out;
  }

  private escape(): void {
    const esc = parseEscape(this.bytes, this.i);
    if (esc.kind === "invalid") {
      this.problem(this.i, esc.message);
    } else {
      const set = charsetFor(esc.final);
      if (!set)
        this.problem(
          this.i,
          `escape sequence selects unknown character set '${String.fromCharCode(esc.final)}'`,
        );
      else if (esc.graphic === 0) this.g0 = set;
      else this.g1 = set;
    }
    this.i += esc.length;
  }

  /**
   * Space is a base character (a lone diacritic before it is a spacing diacritic); controls are not.
   * The subfield code after a delimiter is structure, always ASCII. A subfield starts again in the
   * default sets, as in yaz, MARC::Charset, pymarc and MARC4J: a subfield left in an alternate set
   * without ESC ( B does not turn the next one into garbage.
   */
  private passThrough(b: number): void {
    if (b !== 0x20 && this.pending) {
      this.flushOrphanMarks(
        b === SUBFIELD_DELIMITER ? "before subfield delimiter" : `before control 0x${hex(b)}`,
      );
    }
    this.base(String.fromCharCode(b));
    this.i++;
    if (b === SUBFIELD_DELIMITER) this.designateDefaults();
    const code = this.bytes[this.i];
    if (b === SUBFIELD_DELIMITER && code !== undefined && code > 0x20 && code < 0x7f) {
      this.out += String.fromCharCode(code);
      this.i++;
    }
  }

  /** A character of `set`; `low` is the lowest byte value of the half (G0 0x21, G1 0xA1) it was read from. */
  private graphic(set: CharsetTable, low: number): void {
    const start = this.i;
    let code = this.bytes[start]! & 0x7f;
    for (let k = 1; k < set.width; k++) {
      const b = this.bytes[start + k];
      // The third EACC byte may be 0x20 (212320, ideographic space).
      const ok = b !== undefined && b >= low - (k === 2 ? 1 : 0) && b <= low + 0x5d;
      if (!ok) {
        this.i = start + k;
        if (start >= this.badUntil) {
          const shown = Array.from(this.bytes.subarray(start, start + k), hex).join("");
          this.problem(start, `incomplete ${set.width}-byte ${set.name} character 0x${shown}`);
        }
        return;
      }
      code = (code << 8) | (b & 0x7f);
    }
    this.i = start + set.width;
    const text = set.chars.get(code);
    if (text === undefined) {
      if (set.width > 1) {
        // Resynchronise one byte on (like yaz and MARC::Charset): a dropped byte spoils one character,
        // not the rest of the subfield. A run of undefined characters gives one U+FFFD and one report.
        this.i = start + 1;
        const inRun = start < this.badUntil;
        this.badUntil = start + set.width;
        if (inRun) return;
      }
      const shown = Array.from(this.bytes.subarray(start, start + set.width), hex).join("");
      this.problem(start, `byte${set.width > 1 ? "s" : ""} 0x${shown} not defined in ${set.name}`);
    } else if (set.combining.has(code)) {
      if (!this.pending) this.pendingAt = start;
      this.pending += text;
    } else if (text !== "") {
      this.base(text);
    }
  }

  /** An NCR is one base character (marks before it belong to it); a lone '&' is ASCII. */
  private ampersand(): void {
    const ncr = parseNcr(this.bytes, this.i);
    if (!ncr) {
      this.graphic(this.g0, 0x21);
      return;
    }
    this.base(ncr.text);
    this.i += ncr.length;
  }

  /** C1 controls MARC-8 defines (NSB/NSE, ZWJ/ZWNJ) go out in place; pending marks wait for the next base. */
  private control(b: number): void {
    const text = controlText(b);
    if (text === undefined) this.problem(this.i, `byte 0x${hex(b)} is not a MARC-8 character`);
    else this.out += text;
    this.i++;
  }

  private base(text: string): void {
    this.out += text + this.pending;
    this.pending = "";
  }

  /** Reports a problem at byte `at` and outputs U+FFFD in its place (a base character); the report says so. */
  private problem(at: number, message: string): void {
    this.report(at, `${message}, replaced by U+FFFD`);
    this.base(REPLACEMENT);
  }

  private flushOrphanMarks(where: string): void {
    this.report(this.pendingAt, `combining mark without base character ${where}`);
    this.out += this.pending;
    this.pending = "";
  }
}

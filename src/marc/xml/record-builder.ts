/**
 * Builds MARC records from XML tokens: finds MARC `record` elements at any depth (collection, OAI-PMH
 * `metadata`, WorldCat Atom `content/response`) by namespace, and turns leader / controlfield / datafield /
 * subfield into a record. Problems (XML or MARC) become ReadProblems of the record they occur in.
 */
import { MarcReadError, type ReadItem, type ReadProblem } from "../codec.js";
import { controlField, createRecord, type Field, type Subfield } from "../record.js";
import { isMarcNamespace, ROOT_SCOPE, type Scope, scopeFor } from "./namespaces.js";
import type { XmlHandler } from "./tokenizer.js";

/** Where problems are located: a tokenizer, in practice. */
export interface PositionSource {
  /** Absolute position of the markup being handled. */
  readonly markupPosition: number;
  lineOf(position: number): number;
  byteOffsetOf(position: number): number;
}

const NONE = 0;
const LEADER = 1;
const CONTROL = 2;
const SUBFIELD = 3;

interface OpenRecord {
  readonly number: number;
  readonly byteOffset: number;
  readonly depth: number;
  leader?: string;
  readonly fields: Field[];
  readonly problems: ReadProblem[];
}

interface Orphan {
  readonly severity: ReadProblem["severity"];
  readonly message: string;
  readonly byteOffset: number;
}

export class MarcXmlRecordBuilder implements XmlHandler {
  /** Finished items, taken by the reader after each chunk. */
  readonly out: ReadItem[] = [];
  private readonly scopes: Scope[] = [];
  private count = 0;
  private rec: OpenRecord | undefined;
  /** The last finished record, held back so problems at the end of the document can join it. */
  private held: ReadItem | undefined;
  private orphans: Orphan[] = [];
  private collect = NONE;
  /** Scope depth of the element whose text is collected: ends of elements nested in it (`<i>`) don't end it. */
  private collectDepth = 0;
  private buffered = "";
  private tag = "";
  private ind1 = " ";
  private ind2 = " ";
  private code = "";
  private subfields: Subfield[] | undefined;
  private position: PositionSource = { markupPosition: 0, lineOf: () => 0, byteOffsetOf: () => 0 };
  private lastUri = "";
  private lastIsMarc = true;
  private reportedPrefixes = new Set<string>();

  constructor(
    private readonly strict: boolean,
    private readonly byteShift = 0,
  ) {}

  /** Starts inside the document element (scope `root`) after `recordsBefore` records (see XmlTokenizer). */
  resumeInside(root: Scope, recordsBefore: number): void {
    this.scopes.push(root);
    this.count = recordsBefore;
  }

  locateWith(source: PositionSource): void {
    this.position = source;
  }

  startElement(name: string, attrs: string[], _selfClosing: boolean): void {
    const parent = this.scopes.length > 0 ? this.scopes[this.scopes.length - 1] : ROOT_SCOPE;
    const scope = attrs.length > 0 ? scopeFor(parent, attrs) : parent;
    this.scopes.push(scope);
    const colon = name.indexOf(":");
    const local = colon < 0 ? name : name.slice(colon + 1);
    const prefix = colon < 0 ? "" : name.slice(0, colon);
    let uri = scope.get(prefix);
    if (uri === undefined) {
      if (!this.reportedPrefixes.has(prefix)) {
        this.reportedPrefixes.add(prefix);
        this.report("warning", `namespace prefix "${prefix}" is not declared (element <${name}>)`);
      }
      uri = "";
    }
    if (uri !== this.lastUri) {
      this.lastUri = uri;
      this.lastIsMarc = isMarcNamespace(uri);
    }
    if (!this.lastIsMarc) return;
    if (local === "record") this.openRecord();
    else if (this.rec !== undefined) this.openMarcElement(local, attrs);
  }

  endElement(_name: string): void {
    const depth = this.scopes.length;
    this.scopes.pop();
    const rec = this.rec;
    if (rec === undefined) return;
    if (depth === rec.depth) {
      this.closeRecord(rec);
      return;
    }
    if (this.collect !== NONE && depth !== this.collectDepth) return;
    switch (this.collect) {
      case LEADER:
        if (rec.leader !== undefined) this.report("warning", "more than one leader; the last one is kept");
        rec.leader = this.buffered;
        break;
      case CONTROL:
        rec.fields.push(controlField(this.tag, this.buffered));
        break;
      case SUBFIELD:
        this.subfields?.push(Object.freeze({ code: this.code, value: this.buffered }));
        this.collect = NONE;
        return;
      default:
        if (this.subfields !== undefined && depth === rec.depth + 1) this.closeDataField(rec);
        return;
    }
    this.collect = NONE;
  }

  text(text: string): void {
    if (this.collect !== NONE) this.buffered = this.buffered.length === 0 ? text : this.buffered + text;
  }

  problem(message: string, position: number): void {
    this.report("error", `XML: ${message}`, position);
  }

  /** End of input: flushes the held record and any problem that found no record. */
  finish(): void {
    if (this.orphans.length > 0) {
      if (this.held !== undefined) {
        const problems = this.held.problems as ReadProblem[];
        for (const o of this.orphans) problems.push(this.toProblem(o, this.held.recordNumber));
      } else {
        const n = this.count + 1;
        const problems = this.orphans.map((o) => this.toProblem(o, n));
        this.out.push({ record: createRecord(), recordNumber: n, byteOffset: 0, problems });
      }
      this.orphans = [];
    }
    if (this.held !== undefined) this.out.push(this.held);
    this.held = undefined;
  }

  private openRecord(): void {
    if (this.rec !== undefined) {
      // A record inside a record: the outer one was a wrapper (e.g. a no-namespace OAI envelope).
      this.count--;
    }
    const byteOffset = this.byteShift + this.position.byteOffsetOf(this.position.markupPosition);
    this.count++;
    const problems = this.orphans.map((o) => this.toProblem(o, this.count));
    this.orphans = [];
    this.rec = { number: this.count, byteOffset, depth: this.scopes.length, fields: [], problems };
    this.collect = NONE;
    this.subfields = undefined;
  }

  private openMarcElement(local: string, attrs: string[]): void {
    const rec = this.rec!;
    const depth = this.scopes.length - rec.depth;
    if (local === "subfield") {
      if (this.subfields === undefined || depth !== 2) {
        this.report("warning", "subfield outside a datafield is ignored");
        return;
      }
      let code = attr(attrs, "code");
      if (code === undefined || code.length !== 1) {
        this.report(
          code === undefined ? "error" : "warning",
          code === undefined
            ? `datafield ${this.tag}: subfield without a code; kept with code " "`
            : `datafield ${this.tag}: subfield code "${code}" is not one character`,
          undefined,
          this.tag,
        );
        code = code === undefined || code.length === 0 ? " " : code;
      }
      this.code = code;
      this.startText(SUBFIELD);
      return;
    }
    if (depth !== 1) return;
    if (local === "leader") this.startText(LEADER);
    else if (local === "controlfield") {
      this.tag = this.tagOf(attrs, "controlfield");
      this.startText(CONTROL);
    } else if (local === "datafield") {
      this.tag = this.tagOf(attrs, "datafield");
      this.ind1 = this.indicator(attrs, "ind1");
      this.ind2 = this.indicator(attrs, "ind2");
      this.subfields = [];
    }
  }

  private startText(mode: number): void {
    this.collect = mode;
    this.collectDepth = this.scopes.length;
    this.buffered = "";
  }

  private tagOf(attrs: string[], element: string): string {
    const tag = attr(attrs, "tag");
    if (tag !== undefined && tag.length === 3) return tag;
    this.report("error", `${element} with ${tag === undefined ? "no tag" : `tag "${tag}"`}; kept as "???"`);
    return "???";
  }

  private indicator(attrs: string[], name: string): string {
    const value = attr(attrs, name);
    if (value !== undefined && value.length === 1) return value;
    this.report(
      "warning",
      `datafield ${this.tag}: ${value === undefined ? `no ${name}` : `${name} "${value}" is not one character`}; blank used`,
      undefined,
      this.tag,
    );
    return " ";
  }

  private closeDataField(rec: OpenRecord): void {
    const subs = this.subfields!;
    this.subfields = undefined;
    rec.fields.push(
      Object.freeze({
        kind: "data",
        tag: this.tag,
        ind1: this.ind1,
        ind2: this.ind2,
        subfields: Object.freeze(subs),
      }),
    );
  }

  private closeRecord(rec: OpenRecord): void {
    this.rec = undefined;
    this.collect = NONE;
    if (rec.leader === undefined)
      this.report("warning", "record without a leader; a blank leader is used", undefined, undefined, rec);
    else if (rec.leader.length !== 24)
      this.report("warning", `leader is ${rec.leader.length} characters, not 24`, undefined, undefined, rec);
    const record = createRecord({ leader: rec.leader, fields: rec.fields });
    const item: ReadItem = {
      record,
      recordNumber: rec.number,
      byteOffset: rec.byteOffset,
      problems: rec.problems,
    };
    if (this.held !== undefined) this.out.push(this.held);
    this.held = item;
  }

  private report(
    severity: ReadProblem["severity"],
    message: string,
    position?: number,
    tag?: string,
    rec: OpenRecord | undefined = this.rec,
  ): void {
    const at = position ?? this.position.markupPosition;
    const byteOffset = this.byteShift + this.position.byteOffsetOf(at);
    const full = `${message} (line ${this.position.lineOf(at)})`;
    const number = rec?.number ?? this.count + 1;
    const problem: ReadProblem = { severity, recordNumber: number, byteOffset, tag, message: full };
    if (this.strict) throw new MarcReadError(problem);
    if (rec !== undefined) rec.problems.push(problem);
    else this.orphans.push({ severity, message: full, byteOffset });
  }

  private toProblem(o: Orphan, recordNumber: number): ReadProblem {
    return { severity: o.severity, recordNumber, byteOffset: o.byteOffset, message: o.message };
  }
}

function attr(attrs: readonly string[], name: string): string | undefined {
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1];
  return undefined;
}

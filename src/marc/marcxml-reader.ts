/**
 * Streaming MARCXML reader: MARC `record` elements wherever they are (single record, collection,
 * OAI-PMH envelope, WorldCat Atom entry), with any namespace prefix or none. Memory stays bounded by the
 * largest record, whatever the file size.
 *
 * ```ts
 * for await (const { record, problems } of readMarcXml(createReadStream("records.xml"))) { ... }
 * ```
 */
import type { ByteSource, MarcReader, ReadItem, ReadOptions } from "./codec.js";
import { createXmlTextDecoder, type XmlTextDecoder } from "./xml/decode.js";
import type { Scope } from "./xml/namespaces.js";
import { MarcXmlRecordBuilder } from "./xml/record-builder.js";
import { XmlTokenizer } from "./xml/tokenizer.js";

/** Bytes to look at before choosing the text encoding. */
const HEAD_BYTES = 256;

/**
 * Reads MARCXML. Permissive (default): well-formedness and MARC problems become ReadProblems of the record
 * they occur in (with line and byte offset) and reading goes on; strict: the first problem throws
 * MarcReadError.
 */
export const readMarcXml: MarcReader = (input: ByteSource, options: ReadOptions = {}) =>
  readItems(input, options.strict ?? false);

/**
 * Bytes handed to the tokenizer at a time. Records come out after each piece; a large piece would keep
 * hundreds of finished records alive at once, past the young generation of the heap (costly to collect).
 */
const FEED_BYTES = 64 * 1024;

async function* readItems(input: ByteSource, strict: boolean): AsyncGenerator<ReadItem> {
  let parser: MarcXmlParser | undefined;
  let head: Uint8Array[] = [];
  let headLength = 0;
  for await (const chunk of input) {
    let bytes = chunk;
    if (parser === undefined) {
      headLength += chunk.length;
      // Another read follows: keep a copy (a source may reuse its buffer for the next chunk).
      head.push(headLength < HEAD_BYTES ? Buffer.from(chunk) : chunk);
      if (headLength < HEAD_BYTES) continue;
      bytes = Buffer.concat(head);
      head = [];
      parser = new MarcXmlParser(bytes, strict, false);
    }
    for (let at = 0; at < bytes.length; at += FEED_BYTES) {
      parser.feed(bytes.subarray(at, at + FEED_BYTES));
      if (parser.out.length > 0) yield* parser.out.splice(0);
    }
  }
  parser ??= new MarcXmlParser(Buffer.concat(head), strict);
  parser.end();
  yield* parser.out.splice(0);
}

/** Bytes in, ReadItems out (in `out`), for one document. */
export class MarcXmlParser {
  private readonly decoder: XmlTextDecoder;
  private readonly builder: MarcXmlRecordBuilder;
  private readonly tokenizer: XmlTokenizer;

  /**
   * A parser that takes over a UTF-8 document inside its document element `root` (start tag read, scope
   * `scope`), at byte `byteOffset` and 1-based `line`, after `recordsBefore` records: a faster reader hands
   * over what it does not handle itself, and the problems, numbers and places are the ones of a parser that
   * had read the document from its start.
   */
  static resumed(
    strict: boolean,
    at: { byteOffset: number; line: number; recordsBefore: number; root: string; scope: Scope },
  ): MarcXmlParser {
    const parser = new MarcXmlParser(new Uint8Array(0), strict, false, at.byteOffset);
    parser.tokenizer.resumeInside(at.root, at.line);
    parser.builder.resumeInside(at.scope, at.recordsBefore);
    return parser;
  }

  /** `head`: the first bytes (they choose the encoding), parsed at once unless `feedHead` is false. */
  constructor(head: Uint8Array, strict: boolean, feedHead = true, byteShift = 0) {
    this.decoder = createXmlTextDecoder(head);
    this.builder = new MarcXmlRecordBuilder(strict, byteShift + this.decoder.bomLength);
    this.tokenizer = new XmlTokenizer(this.builder);
    this.builder.locateWith(this.tokenizer);
    if (this.decoder.problem) this.builder.problem(this.decoder.problem, 0);
    if (feedHead) this.feed(head);
  }

  get out(): ReadItem[] {
    return this.builder.out;
  }

  feed(chunk: Uint8Array): void {
    this.tokenizer.feed(this.decoder.decode(chunk));
  }

  end(): void {
    this.tokenizer.feed(this.decoder.decode(new Uint8Array(0), true));
    this.tokenizer.end();
    this.builder.finish();
  }
}

/**
 * The format registry: one place that knows every MARC reader and writer by format name.
 *
 * ```ts
 * for await (const item of readFile("in.mrc")) item.record;            // format guessed from the content
 * const writer = createWriter("marcxml", createWriteStream("out.xml"));
 * for await (const item of openReader("iso2709", process.stdin)) await writer.write(item.record);
 * await writer.close();
 * ```
 */
import type { Writable } from "node:stream";
import { NightshiftError } from "../errors.js";
import type {
  ByteSource,
  ConvertItem,
  CountBatch,
  MarcCounter,
  MarcFormat,
  MarcReader,
  MarcWriter,
  ReadItem,
  ReadOptions,
} from "./codec.js";
import { fileChunks, fileChunksBlocking } from "./file-source.js";
import { detectFormat, notMarcMessage, type OutputFormat } from "./format.js";
import type { MarcRecord } from "./record.js";

/** A format that is unknown, cannot be guessed, or has no reader/writer in this build. */
export class MarcFormatError extends NightshiftError {
  constructor(message: string) {
    super(message, "MARC_FORMAT_ERROR");
  }
}

type WriterFactory = (out: Writable) => MarcWriter;

// Each codec is loaded when first used: a command that reads ISO 2709 does not parse the others' modules.
const READERS: Readonly<Record<MarcFormat, () => Promise<MarcReader>>> = {
  iso2709: async () => (await import("./iso2709-reader.js")).readIso2709,
  marcxml: async () => (await import("./marcxml-reader.js")).readMarcXml,
  json: async () => (await import("./json.js")).readMarcJson,
  mrk: async () => (await import("./mrk.js")).readMrk,
};

/** Formats with a counter of their own (no records built); the others are read and the records dropped. */
const COUNTERS: Readonly<Partial<Record<MarcFormat, () => Promise<MarcCounter>>>> = {
  iso2709: async () => (await import("./iso2709-reader.js")).countIso2709,
};

type Converter = (input: ByteSource, options: ReadOptions) => AsyncIterable<ConvertItem>;

/**
 * Converters from one format straight to another's bytes (input format, then output format), for the
 * writers' default layout; their records go to `writeEncoded`.
 */
const CONVERTERS: Readonly<Partial<Record<string, () => Promise<Converter>>>> = {
  "iso2709>marcxml": async () => (await import("./convert/iso2709-to-marcxml.js")).iso2709ToMarcXml,
  "marcxml>iso2709": async () => (await import("./convert/marcxml-to-iso2709.js")).marcXmlToIso2709,
};

const WRITERS: Readonly<Record<OutputFormat, () => Promise<WriterFactory>>> = {
  iso2709: async () => (await import("./iso2709-writer.js")).createIso2709Writer,
  marcxml: async () => (await import("./marcxml-writer.js")).createMarcXmlWriter,
  text: async () => (await import("./dump.js")).createDumpWriter,
  json: async () => (await import("./json.js")).createMarcJsonWriter,
  mrk: async () => (await import("./mrk.js")).createMrkWriter,
};

/** Reads records of `format` from `input`. */
export async function* openReader(
  format: MarcFormat,
  input: ByteSource,
  options: ReadOptions = {},
): AsyncGenerator<ReadItem> {
  const load = READERS[format];
  if (!load) throw new MarcFormatError(`unknown input format '${format}'`);
  const reader = await load();
  yield* reader(input, options);
}

/**
 * A writer of `format` on `out`; `close()` ends `out`. Throws MarcFormatError (on first write) when the
 * format has no writer.
 */
export function createWriter(format: OutputFormat, out: Writable): MarcWriter {
  const load = WRITERS[format];
  if (!load) throw new MarcFormatError(`unknown output format '${format}'`);
  let writer: Promise<MarcWriter> | undefined;
  const get = () => {
    writer ??= load().then((factory) => factory(out));
    return writer;
  };
  return {
    write: async (record: MarcRecord) => (await get()).write(record),
    writeEncoded: async (bytes: Uint8Array) => {
      const writer = await get();
      if (!writer.writeEncoded) throw new MarcFormatError(`the ${format} writer takes no encoded records`);
      return writer.writeEncoded(bytes);
    },
    close: async () => (await get()).close(),
  };
}

/**
 * The records of `format` in `input` on their way to `to` (a writer made by `createWriter(to, ...)`):
 * records a converter encoded straight from the input bytes (EncodedItem, for `writeEncoded`) and records
 * read in full (ReadItem, for `write`), in order, with the reader's record numbers and problems.
 *
 * ```ts
 * for await (const item of openConverter("iso2709", "marcxml", source))
 *   "encoded" in item ? await writer.writeEncoded!(item.encoded) : await writer.write(item.record);
 * ```
 */
export async function* openConverter(
  format: MarcFormat,
  to: OutputFormat,
  input: ByteSource,
  options: ReadOptions = {},
): AsyncGenerator<ConvertItem> {
  const load = CONVERTERS[`${format}>${to}`];
  if (load) yield* (await load())(input, options);
  else yield* openReader(format, input, options);
}

/** Splits off the first bytes of a source (for format detection) and gives back a source with all bytes. */
export async function peekSource(
  input: ByteSource,
  bytes = 64,
): Promise<{ head: Uint8Array; source: ByteSource }> {
  const iterator = input[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    length += next.value.length;
    // Another read follows: keep a copy (a source may reuse its buffer for the next chunk).
    seen.push(length < bytes ? Buffer.from(next.value) : next.value);
  }
  const head = Buffer.concat(seen).subarray(0, bytes);
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // Stopping early (a consumer `break`s) closes the underlying stream too.
      if (!done) await iterator.return?.();
    }
  }
  return { head, source: source() };
}

/**
 * Reads records from `input`, guessing the format from its first bytes unless `format` is given.
 * Throws MarcFormatError when the format cannot be guessed (`name` goes into the message).
 */
export async function* readSource(
  input: ByteSource,
  options: ReadOptions & { format?: MarcFormat; name?: string } = {},
): AsyncGenerator<ReadItem> {
  const found = await sourceFormat(input, options);
  if (found) yield* openReader(found.format, found.source, options);
}

/** Like `readSource`, for a conversion to `to` (see `openConverter`). */
export async function* convertSource(
  input: ByteSource,
  to: OutputFormat,
  options: ReadOptions & { format?: MarcFormat; name?: string } = {},
): AsyncGenerator<ConvertItem> {
  const found = await sourceFormat(input, options);
  if (found) yield* openConverter(found.format, to, found.source, options);
}

/**
 * Like `readSource`, for counting: how many records, and the record numbers, byte offsets and problems of
 * those with problems, but no record is handed out (ISO 2709 is checked on its bytes without building
 * records).
 */
export async function* countSource(
  input: ByteSource,
  options: ReadOptions & { format?: MarcFormat; name?: string } = {},
): AsyncGenerator<CountBatch> {
  const found = await sourceFormat(input, options);
  if (!found) return;
  const counter = COUNTERS[found.format];
  if (counter) yield* (await counter())(found.source, options);
  else
    for await (const item of openReader(found.format, found.source, options))
      yield { records: 1, flagged: item.problems.length > 0 ? [item] : [] };
}

/**
 * The format of `input` (given or guessed) and the source to read; undefined for empty input. Input that no
 * format fits (a list of numbers, a CSV file, anything shorter than a leader) is refused, saying what it
 * starts with.
 */
export async function sourceFormat(
  input: ByteSource,
  options: { format?: MarcFormat; name?: string },
): Promise<{ format: MarcFormat; source: ByteSource } | undefined> {
  const { head, source } = await peekSource(input);
  if (options.format) return { format: options.format, source };
  const format = detectFormat(head);
  // peekSource stops early only at the end of the input: under 24 bytes there is no room for a leader.
  if (format && (format !== "iso2709" || head.length >= 24)) return { format, source };
  if (head.length === 0) return undefined;
  throw new MarcFormatError(notMarcMessage(options.name ?? "the input", head));
}

/** Reads records from a file; the format is guessed from the content unless given. */
export function readFile(
  path: string,
  options: ReadOptions & { format?: MarcFormat } = {},
): AsyncGenerator<ReadItem> {
  return readSource(openFileSource(path), { ...options, name: path });
}

/**
 * A file's bytes for `readSource`/`countSource` (see file-source.ts: chunks are only valid for a while).
 * `blocking`: read on the calling thread, for a command line tool that waits anyway (never in a server).
 */
export function openFileSource(path: string, options: { blocking?: boolean } = {}): ByteSource {
  return options.blocking ? fileChunksBlocking(path) : fileChunks(path);
}

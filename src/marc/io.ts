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
import { createReadStream } from "node:fs";
import type { Writable } from "node:stream";
import { NightshiftError } from "../errors.js";
import type { ByteSource, MarcFormat, MarcReader, MarcWriter, ReadItem, ReadOptions } from "./codec.js";
import { createDumpWriter } from "./dump.js";
import { detectFormat, type OutputFormat } from "./format.js";
import { readIso2709 } from "./iso2709-reader.js";
import { createIso2709Writer } from "./iso2709-writer.js";
import { createMarcJsonWriter, readMarcJson } from "./json.js";
import { readMarcXml } from "./marcxml-reader.js";
import { createMarcXmlWriter } from "./marcxml-writer.js";
import { createMrkWriter, readMrk } from "./mrk.js";
import type { MarcRecord } from "./record.js";

/** A format that is unknown, cannot be guessed, or has no reader/writer in this build. */
export class MarcFormatError extends NightshiftError {
  constructor(message: string) {
    super(message, "MARC_FORMAT_ERROR");
  }
}

type WriterFactory = (out: Writable) => MarcWriter;

const READERS: Readonly<Record<MarcFormat, () => Promise<MarcReader>>> = {
  iso2709: async () => readIso2709,
  marcxml: async () => readMarcXml,
  json: async () => readMarcJson,
  mrk: async () => readMrk,
};

const WRITERS: Readonly<Record<OutputFormat, () => Promise<WriterFactory>>> = {
  iso2709: async () => createIso2709Writer,
  marcxml: async () => createMarcXmlWriter,
  text: async () => createDumpWriter,
  json: async () => createMarcJsonWriter,
  mrk: async () => createMrkWriter,
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
    close: async () => (await get()).close(),
  };
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
    seen.push(next.value);
    length += next.value.length;
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
  const { head, source } = await peekSource(input);
  const format = options.format ?? detectFormat(head);
  if (!format) {
    if (head.length === 0) return;
    throw new MarcFormatError(
      `cannot tell the MARC format of ${options.name ?? "the input"} from its first bytes; name it`,
    );
  }
  yield* openReader(format, source, options);
}

/** Reads records from a file; the format is guessed from the content unless given. */
export function readFile(
  path: string,
  options: ReadOptions & { format?: MarcFormat } = {},
): AsyncGenerator<ReadItem> {
  return readSource(createReadStream(path), { ...options, name: path });
}

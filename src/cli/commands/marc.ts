/**
 * `nightshift marc`: MARC in shell pipelines, like yaz-marcdump.
 *
 *   nightshift marc convert IN [--from FMT] --to FMT [-o OUT] [--strict]
 *   nightshift marc validate IN [--profile P] [--from FMT]
 *   nightshift marc count IN [--from FMT]
 *
 * IN may be `-` for stdin. Reading problems go to stderr with record number and byte offset.
 */
import { once } from "node:events";
import { createWriteStream, fstatSync, type WriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { PassThrough, type Writable } from "node:stream";
import {
  type ByteSource,
  type ConvertItem,
  type MarcFormat,
  MarcReadError,
  type ReadItem,
  type ScanItem,
} from "../../marc/codec.js";
import { FORMAT_NAMES, type OutputFormat, parseFormatName } from "../../marc/format.js";
import {
  convertSource,
  createWriter,
  MarcFormatError,
  openFileSource,
  readSource,
  scanSource,
} from "../../marc/io.js";
import { MarcWriteError } from "../../marc/iso2709/write-error.js";
import { VALIDATION_PROFILES, type ValidationProfile } from "../../marc/validate/issue.js";

export const summary = "convert, validate and count MARC records (ISO 2709, MARCXML, JSON, mrk)";

const USAGE = `Usage:
  nightshift marc convert IN [--from FMT] --to FMT [-o OUT] [--strict]
  nightshift marc validate IN [--profile P] [--from FMT]
  nightshift marc count IN [--from FMT]

IN is a file or - for stdin. FMT: ${FORMAT_NAMES} (text: output only).
The input format is guessed from the content when --from is not given.
Profiles: ${VALIDATION_PROFILES.join(", ")} (default structure).
Exit codes: 0 done, 1 invalid records / unreadable input / records not written, 2 usage error.
`;

class UsageError extends Error {}

/** The output file cannot be opened or written (bad directory, no permission, disk full). */
class OutputError extends Error {
  constructor(
    readonly path: string,
    cause: Error,
  ) {
    super(`cannot write ${path}: ${cause.message}`);
  }
}

interface Options {
  readonly command: string;
  readonly input: string;
  readonly from?: MarcFormat;
  readonly to?: OutputFormat;
  readonly output?: string;
  readonly profile: ValidationProfile;
  readonly strict: boolean;
}

export default async function marcCommand(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`nightshift marc: ${err.message}\n${USAGE}`);
    return 2;
  }
  try {
    if (options.command === "count") return await count(options);
    if (options.command === "validate") return await validateCommand(options);
    return await convert(options);
  } catch (err) {
    if (err instanceof OutputError) {
      process.stderr.write(`nightshift marc: ${err.message}\n`);
      return 1;
    }
    if (err instanceof MarcReadError || err instanceof MarcFormatError || isFileError(err)) {
      process.stderr.write(`nightshift marc: ${options.input}: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (!["convert", "validate", "count"].includes(command))
    throw new UsageError(`unknown sub-command '${command}'`);
  const values: Record<string, string> = {};
  const positional: string[] = [];
  let strict = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--strict") strict = true;
    else if (["--from", "--to", "-o", "--output", "--profile"].includes(arg)) {
      if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`);
      values[arg === "-o" ? "--output" : arg] = rest[++i];
    } else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option '${arg}'`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError("give exactly one input (a file, or - for stdin)");
  const from = values["--from"] === undefined ? undefined : formatName(values["--from"]);
  if (from === "text") throw new UsageError("text is an output format only");
  const to = values["--to"] === undefined ? undefined : formatName(values["--to"]);
  if (command === "convert" && !to) throw new UsageError("convert needs --to FMT");
  const profile = (values["--profile"] ?? "structure") as ValidationProfile;
  if (!VALIDATION_PROFILES.includes(profile)) throw new UsageError(`unknown profile '${profile}'`);
  return { command, input: positional[0], from, to, output: values["--output"], profile, strict };
}

function formatName(name: string): OutputFormat {
  const format = parseFormatName(name);
  if (!format) throw new UsageError(`unknown format '${name}' (use ${FORMAT_NAMES})`);
  return format;
}

/** The records of the input, their problems written to stderr. */
async function* records(options: Options): AsyncGenerator<ReadItem> {
  for await (const item of readSource(await openInput(options), readOptions(options))) {
    reportProblems(options, item);
    yield item;
  }
}

/** The records of the input on their way to `--to` (some already encoded), their problems on stderr. */
async function* converting(options: Options): AsyncGenerator<ConvertItem> {
  for await (const item of convertSource(await openInput(options), options.to!, readOptions(options))) {
    if (item.problems.length > 0) reportProblems(options, item);
    yield item;
  }
}

async function count(options: Options): Promise<number> {
  let n = 0;
  // Scanned, not read: no record is built, only checked (the same problems, at a fraction of the cost).
  for await (const batch of scanSource(await openInput(options), readOptions(options))) {
    for (const item of batch) if (item.problems.length > 0) reportProblems(options, item);
    n += batch.length;
  }
  process.stdout.write(`${n}\n`);
  return 0;
}

async function openInput(options: Options): Promise<ByteSource> {
  if (options.input === "-") return process.stdin;
  await stat(options.input);
  return openFileSource(options.input);
}

function readOptions(options: Options) {
  return { format: options.from, strict: options.strict, name: options.input };
}

function reportProblems(options: Options, item: ScanItem): void {
  for (const p of item.problems) {
    const where = `record ${p.recordNumber}${p.byteOffset === undefined ? "" : ` (byte ${p.byteOffset})`}`;
    process.stderr.write(
      `${options.input}: ${where}${p.tag ? `, field ${p.tag}` : ""}: ${p.severity}: ${p.message}\n`,
    );
  }
}

async function validateCommand(options: Options): Promise<number> {
  const { validate } = await import("../../marc/validate/index.js");
  let invalid = false;
  let lines = "";
  for await (const item of records(options)) {
    if (item.problems.some((p) => p.severity === "error")) invalid = true;
    for (const i of validate(item.record, options.profile)) {
      if (i.severity === "error") invalid = true;
      const at = i.tag
        ? ` ${i.tag}${i.occurrence ? `[${i.occurrence}]` : ""}${i.subfield ? `$${i.subfield}` : ""}`
        : "";
      lines += `record ${item.recordNumber}: ${i.severity} ${i.code}${at} ${i.message}\n`;
    }
    if (lines.length > 16384) lines = flushTo(process.stdout, lines);
  }
  flushTo(process.stdout, lines);
  return invalid ? 1 : 0;
}

async function convert(options: Options): Promise<number> {
  let failed = 0;
  const source = converting(options);
  const first = await source.next(); // unreadable input fails here, before any output file is made
  const output = await openOutput(options.output);
  const writer = createWriter(options.to!, output.stream);
  try {
    for (let next = first; !next.done; next = await source.next()) {
      const item = next.value;
      try {
        if ("encoded" in item) await writer.writeEncoded!(item.encoded);
        else await writer.write(item.record);
      } catch (err) {
        if (!(err instanceof MarcWriteError)) throw err;
        failed++;
        process.stderr.write(
          `${options.input}: record ${next.value.recordNumber}: not written: ${err.reason}\n`,
        );
      }
      output.check();
    }
    await writer.close();
    output.check();
  } catch (err) {
    throw output.error ?? err;
  }
  return failed > 0 ? 1 : 0;
}

interface Output {
  readonly stream: Writable;
  /** The first write error of the output file, as an OutputError. */
  readonly error: OutputError | undefined;
  /** Throws the output file's write error, if there was one. */
  check(): void;
}

/**
 * The output stream, opened before any record is written so a bad path fails with a message, not a crash.
 * stdout goes through a PassThrough so writers can end it without closing stdout; stdout redirected to a
 * file gets a file stream on its descriptor (left open), whose output blocks are used again (see
 * block-output.ts: fresh memory for each block cost more kernel time than the conversion).
 */
async function openOutput(path: string | undefined): Promise<Output> {
  if ((!path || path === "-") && stdoutIsFile())
    return fileOutput("stdout", createWriteStream("", { fd: 1, autoClose: false }));
  if (!path || path === "-") {
    const pass = new PassThrough();
    pass.pipe(process.stdout, { end: false });
    return { stream: pass, error: undefined, check: () => {} };
  }
  const stream = createWriteStream(path);
  try {
    await once(stream, "open");
  } catch (err) {
    throw new OutputError(path, err as Error);
  }
  return fileOutput(path, stream);
}

function stdoutIsFile(): boolean {
  try {
    return fstatSync(1).isFile();
  } catch {
    return false;
  }
}

function fileOutput(path: string, stream: WriteStream): Output {
  let error: OutputError | undefined;
  // A listener for the whole life of the stream: a late error (disk full) must not crash the process.
  stream.on("error", (err) => {
    error ??= new OutputError(path, err);
  });
  return {
    stream,
    get error() {
      return error;
    },
    check() {
      if (error) throw error;
    },
  };
}

function flushTo(out: Writable, text: string): string {
  if (text) out.write(text);
  return "";
}

function isFileError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string" && "syscall" in err;
}

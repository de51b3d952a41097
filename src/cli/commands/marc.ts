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
import { createWriteStream, fstatSync, statSync, type WriteStream } from "node:fs";
import { PassThrough, type Writable } from "node:stream";
import {
  type ByteSource,
  type ConvertItem,
  type MarcFormat,
  MarcReadError,
  type ReadItem,
  type ScanItem,
} from "../../marc/codec.js";
import { FORMAT_LABELS, FORMAT_NAMES, type OutputFormat, parseFormatName } from "../../marc/format.js";
import {
  countSource,
  createWriter,
  MarcFormatError,
  openConverter,
  openFileSource,
  openReader,
  sourceFormat,
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

convert ends with what it did on stderr:
  8 records converted (ISO 2709, MARC-8 → MARCXML, UTF-8), 2 warnings
validate prints each problem with the record's number and 001, then a total (one line for a valid file).
Input that is not MARC (a list of numbers, a CSV file) is refused, saying what it starts with.

Exit codes: 0 done; 1 invalid records, errors reading the input, input that is not MARC, or records not
written; 2 usage error.
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
    if (err instanceof MarcFormatError) {
      // Its message names the input already.
      process.stderr.write(`nightshift marc: ${err.message}\n`);
      return 1;
    }
    if (err instanceof MarcReadError || isFileError(err)) {
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

/** What the input held: problems by severity (the summary line and the exit code come from these). */
interface Tally {
  warnings: number;
  errors: number;
}

/** The records of `format` in `source`, their problems written to stderr and counted in `tally`. */
async function* records(
  options: Options,
  format: MarcFormat,
  source: ByteSource,
  tally: Tally,
): AsyncGenerator<ReadItem> {
  for await (const item of openReader(format, source, readOptions(options))) {
    if (item.problems.length > 0) reportProblems(options, item, tally);
    yield item;
  }
}

/** The records of `format` in `source` on their way to `--to` (some already encoded), counted in `tally`. */
async function* converting(
  options: Options,
  format: MarcFormat,
  source: ByteSource,
  tally: Tally,
): AsyncGenerator<ConvertItem> {
  for await (const item of openConverter(format, options.to!, source, readOptions(options))) {
    if (item.problems.length > 0) reportProblems(options, item, tally);
    yield item;
  }
}

/** The input's format (given or guessed) and its bytes; input no MARC format fits is refused here. */
async function openFormat(options: Options): Promise<{ format: MarcFormat; source: ByteSource }> {
  const found = await sourceFormat(await openInput(options), readOptions(options));
  // Empty input: no records, whatever the format.
  return found ?? { format: options.from ?? "iso2709", source: emptySource() };
}

async function* emptySource(): AsyncGenerator<Uint8Array> {}

async function count(options: Options): Promise<number> {
  let n = 0;
  // Counted, not read: no record is built, only checked (the same problems, at a fraction of the cost).
  for await (const batch of countSource(await openInput(options), readOptions(options))) {
    for (const item of batch.flagged) reportProblems(options, item);
    n += batch.records;
  }
  process.stdout.write(`${n}\n`);
  return 0;
}

async function openInput(options: Options): Promise<ByteSource> {
  if (options.input === "-") return process.stdin;
  statSync(options.input); // a missing file fails here, before any output is made
  // Read on the main thread: this command waits for its input anyway (no thread pool round trips).
  return openFileSource(options.input, { blocking: true });
}

function readOptions(options: Options) {
  return { format: options.from, strict: options.strict, name: inputName(options) };
}

function reportProblems(options: Options, item: ScanItem, tally?: Tally): void {
  for (const p of item.problems) {
    if (tally) tally[p.severity === "error" ? "errors" : "warnings"]++;
    const where = `record ${p.recordNumber}${p.byteOffset === undefined ? "" : ` (byte ${p.byteOffset})`}`;
    process.stderr.write(
      `${options.input}: ${where}${p.tag ? `, field ${p.tag}` : ""}: ${p.severity}: ${p.message}\n`,
    );
  }
}

/**
 * One line per issue, each naming its record by number and 001 (`record 2 (001 29907139): error MISSING_040
 * 040 ...`), then a total: how many records, how many invalid, under which profile; a valid file gets that
 * one line only.
 */
async function validateCommand(options: Options): Promise<number> {
  const { validate } = await import("../../marc/validate/index.js");
  const tally: Tally = { warnings: 0, errors: 0 };
  let seen = 0;
  let invalidRecords = 0;
  let issueErrors = 0;
  let issueWarnings = 0;
  let lines = "";
  const { format, source } = await openFormat(options);
  for await (const item of records(options, format, source, tally)) {
    seen++;
    let invalid = item.problems.some((p) => p.severity === "error");
    const issues = validate(item.record, options.profile);
    if (issues.length > 0) {
      const id = item.record.controlValue("001");
      const label = `record ${item.recordNumber} (${id === undefined ? "no 001" : `001 ${id}`})`;
      for (const i of issues) {
        if (i.severity === "error") {
          invalid = true;
          issueErrors++;
        } else issueWarnings++;
        const at = i.tag
          ? ` ${i.tag}${i.occurrence ? `[${i.occurrence}]` : ""}${i.subfield ? `$${i.subfield}` : ""}`
          : "";
        lines += `${label}: ${i.severity} ${i.code}${at} ${i.message}\n`;
      }
    }
    if (invalid) invalidRecords++;
    if (lines.length > 16384) lines = flushTo(process.stdout, lines);
  }
  const checked = `${plural(seen, "record")} checked with the ${options.profile} profile`;
  const errors = issueErrors + tally.errors;
  const warnings = issueWarnings + tally.warnings;
  lines +=
    invalidRecords === 0 && warnings === 0
      ? `${inputName(options)}: valid: ${checked}\n`
      : `${inputName(options)}: ${checked}: ${invalidRecords} invalid, ${plural(errors, "error")}, ` +
        `${plural(warnings, "warning")}\n`;
  flushTo(process.stdout, lines);
  return invalidRecords > 0 ? 1 : 0;
}

/** The input as messages name it. */
function inputName(options: Options): string {
  return options.input === "-" ? "stdin" : options.input;
}

async function convert(options: Options): Promise<number> {
  let failed = 0;
  let read = 0;
  let marc8 = 0;
  const tally: Tally = { warnings: 0, errors: 0 };
  const { format, source: bytes } = await openFormat(options); // input that is not MARC fails here
  const source = converting(options, format, bytes, tally);
  const first = await source.next(); // unreadable input fails here, before any output file is made
  const output = await openOutput(options.output);
  const writer = createWriter(options.to!, output.stream);
  try {
    for (let next = first; !next.done; next = await source.next()) {
      const item = next.value;
      read++;
      if ("record" in item && item.marc8) marc8++;
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
  process.stderr.write(`${convertSummary(format, options.to!, { read, marc8, failed, ...tally })}\n`);
  // Read errors count as failure, as the help says: the output may lack or misread what they were about.
  return failed > 0 || tally.errors > 0 ? 1 : 0;
}

/**
 * The last line of `marc convert`, what it did in the field's words:
 * `8 records converted (ISO 2709, MARC-8 → MARCXML, UTF-8), 2 warnings`.
 */
export function convertSummary(
  from: MarcFormat,
  to: OutputFormat,
  counts: { read: number; marc8: number; failed: number; warnings: number; errors: number },
): string {
  const { read, marc8, failed, warnings, errors } = counts;
  const encoding = marc8 === 0 ? "UTF-8" : marc8 === read ? "MARC-8" : "MARC-8 and UTF-8";
  const converted = read - failed;
  let line =
    `${plural(converted, "record")} converted (${FORMAT_LABELS[from]}, ${encoding} → ` +
    `${FORMAT_LABELS[to]}, UTF-8), ${plural(warnings, "warning")}`;
  if (errors > 0) line += `, ${plural(errors, "error")}`;
  if (failed > 0) line += `, ${failed} not written`;
  return line;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
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

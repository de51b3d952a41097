/**
 * MARC inputs. The records come from an injected iterator (a src/marc reader over the input file), so the
 * batch engine does not care about the format; failures are written back with a writer of the same format.
 *
 * ```ts
 * marcNumberSource({ records: openReader("iso2709", stream), extension: "mrc",
 *   openWriter: (out) => createWriter("iso2709", out) }) // items: OCLC numbers from 001 / 035
 * marcRecordSource({ ...same }) // items: the records themselves, for record-level scripts
 * ```
 */
import type { ReadItem } from "../../marc/codec.js";
import { oclcNumberOf } from "../../marc/oclc-number.js";
import type { MarcRecord } from "../../marc/record.js";
import type { SourceEntry } from "../item.js";
import type { BatchSource } from "../source.js";
import { marcFailures, type OpenMarcWriter } from "./marc-failures.js";

export interface MarcSourceOptions {
  /**
   * The records in input order. A function is called once per pass (a resumed batch reads the input again);
   * an iterable can be read once only.
   */
  readonly records: (() => AsyncIterable<ReadItem>) | AsyncIterable<ReadItem>;
  readonly openWriter: OpenMarcWriter;
  /** Extension of the failures file: `mrc`, `xml`, `json`, `mrk`. */
  readonly extension: string;
  /** The record's OCLC number; default: 001 (when an OCLC number), then 035 $a (OCoLC). */
  readonly numberOf?: (record: MarcRecord) => string | undefined;
  /** Counting a MARC file costs a full read; pass a counter when you have a cheap one. */
  readonly count?: () => Promise<number | undefined>;
  /** The input's name as the user knows it, for messages: `records.mrc record 3, field 245: ...`. */
  readonly name?: string;
}

const defaultNumberOf = (record: MarcRecord): string | undefined => oclcNumberOf(record)?.number;

/** Items are the OCLC numbers of the records (for holdings, fetch, ...); raw is the record. */
export function marcNumberSource(options: MarcSourceOptions): BatchSource<string, MarcRecord> {
  const numberOf = options.numberOf ?? defaultNumberOf;
  return marcSource(options, (read, base) => {
    const number = numberOf(read.record);
    if (number === undefined)
      return {
        ...base,
        invalid: `${options.name ? `${options.name} ` : ""}record ${read.recordNumber}: no OCLC number in 001 or 035`,
      };
    return { ...base, oclcNumber: number, payload: number };
  });
}

/** Items are the records themselves (for create, replace, validate, local data). */
export function marcRecordSource(options: MarcSourceOptions): BatchSource<MarcRecord, MarcRecord> {
  const numberOf = options.numberOf ?? defaultNumberOf;
  return marcSource(options, (read, base) => ({
    ...base,
    oclcNumber: numberOf(read.record),
    payload: read.record,
  }));
}

interface Base {
  readonly position: number;
  /** The record number in the file (the report's `line` column for MARC input). */
  readonly line: number;
  readonly inputId: string;
  readonly raw: MarcRecord;
}

function marcSource<P>(
  options: MarcSourceOptions,
  make: (read: ReadItem, base: Base) => SourceEntry<P, MarcRecord>,
): BatchSource<P, MarcRecord> {
  return {
    format: "marc",
    entries: () => readMarcEntries(options.records, make, options.name),
    count: options.count,
    failures: marcFailures(options.extension, options.openWriter),
  };
}

async function* readMarcEntries<P>(
  records: MarcSourceOptions["records"],
  make: (read: ReadItem, base: Base) => SourceEntry<P, MarcRecord>,
  name: string | undefined,
): AsyncGenerator<SourceEntry<P, MarcRecord>> {
  let position = 0;
  const iterable = typeof records === "function" ? records() : records;
  for await (const read of iterable) {
    position++;
    const inputId = read.record.controlValue("001")?.trim() || `record ${read.recordNumber}`;
    const base: Base = { position, line: read.recordNumber, inputId, raw: read.record };
    const error = read.problems.find((p) => p.severity === "error");
    if (error) {
      const where = `${name ? `${name} ` : ""}record ${error.recordNumber}${error.tag ? `, field ${error.tag}` : ""}`;
      yield { ...base, invalid: `${where}: ${error.message}` };
      continue;
    }
    yield make(read, base);
  }
}

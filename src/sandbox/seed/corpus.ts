/**
 * The MARC corpus records shipped beside this file, turned into WorldCat master records: each gets its
 * OCLC number (from 001/035, or an assigned one), 001/003/035 in OCLC style, and a local 001 kept in 035
 * as OCLC does. Numbers in 019 and 035 $z become merged numbers pointing at the record.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { readFile as readMarcFile } from "../../marc/io.js";
import { formatOclcNumber, oclcNumberOf, parseOclcNumber } from "../../marc/oclc-number.js";
import { controlField, dataField, type MarcRecord, subfieldValues } from "../../marc/record.js";
import { decodeIso2709Buffer } from "../domain/iso2709-buffer.js";

/** Numbers given to corpus records that have none. */
export const ASSIGNED_BASE = 1_200_000_000;

export interface CorpusBib {
  readonly ocn: number;
  readonly record: MarcRecord;
  /** Older numbers merged into this one. */
  readonly merged: readonly number[];
}

let cache: Promise<readonly CorpusBib[]> | undefined;

/** Loads (once per process) every .mrc file in src/sandbox/seed/, in file-name order. */
export function loadCorpus(): Promise<readonly CorpusBib[]> {
  cache ??= load();
  return cache;
}

async function load(): Promise<CorpusBib[]> {
  const dir = new URL("./", import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".mrc"))
    .sort();
  const masters = createMasters();
  for (const file of files) {
    for (const raw of await decodeIso2709Buffer(readFileSync(new URL(file, dir)), false)) masters.add(raw);
  }
  return masters.list;
}

/**
 * Master records from MARC files of the user's (`nightshift sandbox --seed PATH`): a file in any format, or
 * every file of a directory. Numbers assigned to records without one continue after `assignedAfter`.
 */
export async function loadSeedFiles(paths: readonly string[], assignedAfter = 0): Promise<CorpusBib[]> {
  const masters = createMasters(assignedAfter + 100_000);
  for (const path of paths) {
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .sort()
          .map((f) => join(path, f))
          .filter((f) => statSync(f).isFile())
      : [path];
    for (const file of files) for await (const item of readMarcFile(file)) masters.add(item.record);
  }
  return masters.list;
}

/** Turns records into masters, each OCLC number once; records without one get numbers from ASSIGNED_BASE. */
function createMasters(assignedFrom = 0) {
  const list: CorpusBib[] = [];
  const seen = new Set<number>();
  let assigned = assignedFrom;
  return {
    list,
    add(raw: MarcRecord) {
      const found = oclcNumberOf(raw);
      const ocn = found && found.source !== "035$z" ? Number(found.number) : ASSIGNED_BASE + ++assigned;
      if (seen.has(ocn)) return;
      seen.add(ocn);
      list.push({ ocn, record: asMaster(raw, ocn), merged: mergedNumbers(raw, ocn) });
    },
  };
}

function mergedNumbers(record: MarcRecord, ocn: number): number[] {
  const nums = new Set<number>();
  for (const f of record.getFields("019")) for (const v of subfieldValues(f, "a")) addNum(nums, v);
  for (const f of record.getFields("035"))
    for (const v of subfieldValues(f, "z")) if (/^\(ocolc\)/i.test(v.trim())) addNum(nums, v);
  nums.delete(ocn);
  return [...nums];
}

function addNum(set: Set<number>, text: string) {
  const n = parseOclcNumber(text);
  if (n !== undefined) set.add(Number(n));
}

function asMaster(raw: MarcRecord, ocn: number): MarcRecord {
  const local001 = raw.controlValue("001")?.trim();
  const org = raw.controlValue("003")?.trim();
  const localIsOclc = local001 !== undefined && parseOclcNumber(local001) === String(ocn);
  let r = raw.removeFields("001", "003");
  const others = r
    .getFields("035")
    .filter(
      (f) => !subfieldValues(f, "a").some((v) => parseOclcNumber(v) === String(ocn) && /^\(ocolc\)/i.test(v)),
    );
  const ids = [dataField("035", " ", " ", [["a", `(OCoLC)${ocn}`]]), ...others];
  if (local001 && !localIsOclc) ids.push(dataField("035", " ", " ", [["a", `(${org || "Sys"})${local001}`]]));
  r = r.replaceFields("035", ...ids);
  if (!r.controlValue("005")) r = r.addOrderedField(controlField("005", "20240101000000.0"));
  return r
    .addOrderedField(controlField("003", "OCoLC"))
    .addOrderedField(controlField("001", formatOclcNumber(String(ocn), "ocm")));
}

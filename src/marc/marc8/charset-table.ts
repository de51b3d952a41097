/**
 * MARC-8 character sets, loaded lazily from the JSON tables in `generated/`
 * (made by `npx tsx scripts/generate-marc8-tables.ts` from the LoC code tables).
 *
 * A set is read from disk the first time an escape sequence (or the default G0/G1) selects it,
 * so start-up stays fast and the large EACC (CJK) table is read only by records that use it.
 */
import { existsSync, readFileSync } from "node:fs";
import { NightshiftError } from "../../errors.js";

/** One graphic character set (G0 or G1 candidate), keyed by its 7-bit codes. */
export interface CharsetTable {
  /** LoC name, e.g. "Basic Cyrillic". */
  readonly name: string;
  /** Final byte of the escape sequence that designates it, e.g. 0x4e ('N'). */
  readonly final: number;
  /** Bytes per character: 1, or 3 for EACC. */
  readonly width: number;
  /**
   * Text by code with the high bit of every byte cleared (3 bytes packed big-endian when width is 3).
   * An empty string means "consume, output nothing" (second half of a double-width diacritic).
   */
  readonly chars: ReadonlyMap<number, string>;
  /** Codes of combining marks: in MARC-8 they precede their base character. */
  readonly combining: ReadonlySet<number>;
}

/** The tables are missing or unreadable: an installation problem, not a data problem. */
export class Marc8TableError extends NightshiftError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`MARC-8 table ${file}: ${detail} (run: npx tsx scripts/generate-marc8-tables.ts)`, "MARC8_TABLE");
  }
}

interface IndexFile {
  readonly sets: readonly { final: string; name: string; width: number; file: string }[];
  readonly controls: readonly (readonly [number, number])[];
}

interface SetFile {
  readonly name: string;
  readonly final: string;
  readonly width: number;
  readonly codes: readonly number[];
  readonly chars: string;
  readonly combining: readonly number[];
  readonly ignored: readonly number[];
}

export const FINAL_ASCII = 0x42;
export const FINAL_ANSEL = 0x45;

// `npm run build` copies the JSON beside the compiled module (scripts/copy-assets.mjs).
const TABLE_DIR = new URL("./generated/", import.meta.url);

let index: { files: Map<number, string>; controls: Map<number, string> } | undefined;
const loaded = new Map<number, CharsetTable>();

function readJson<T>(file: string): T {
  const url = new URL(file, TABLE_DIR);
  if (!existsSync(url)) throw new Marc8TableError(file, `not found in ${TABLE_DIR.pathname}`);
  try {
    return JSON.parse(readFileSync(url, "utf8")) as T;
  } catch (err) {
    throw new Marc8TableError(file, err instanceof Error ? err.message : String(err));
  }
}

function loadIndex(): NonNullable<typeof index> {
  if (index) return index;
  const raw = readJson<IndexFile>("index.json");
  index = {
    files: new Map(raw.sets.map((s) => [s.final.charCodeAt(0), s.file])),
    controls: new Map(raw.controls.map(([byte, cp]) => [byte, String.fromCodePoint(cp)])),
  };
  return index;
}

function toTable(raw: SetFile): CharsetTable {
  const chars = new Map<number, string>();
  let code = 0;
  let k = 0;
  for (const ch of raw.chars) {
    code += raw.codes[k++]!;
    chars.set(code, ch);
  }
  for (const ignored of raw.ignored) chars.set(ignored, "");
  return {
    name: raw.name,
    final: raw.final.charCodeAt(0),
    width: raw.width,
    chars,
    combining: new Set(raw.combining),
  };
}

/** The set designated by `final` (e.g. 0x31 for EACC), or undefined when MARC-8 has no such set. */
export function charsetFor(final: number): CharsetTable | undefined {
  const cached = loaded.get(final);
  if (cached) return cached;
  const file = loadIndex().files.get(final);
  if (file === undefined) return undefined;
  const table = toTable(readJson<SetFile>(file));
  loaded.set(final, table);
  return table;
}

/** Unicode text of a C1 control byte that MARC-8 defines (0x88/0x89 NSB/NSE, 0x8D/0x8E ZWJ/ZWNJ). */
export function controlText(byte: number): string | undefined {
  return loadIndex().controls.get(byte);
}

/** Names of the sets read from disk so far (for tests and diagnostics: the EACC table loads on demand). */
export function loadedCharsets(): string[] {
  return [...loaded.values()].map((t) => t.name);
}

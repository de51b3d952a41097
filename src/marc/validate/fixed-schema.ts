/**
 * The compiled rules of the fixed-length fields 006, 007 and 008/18-34: per position a 128-entry table of
 * allowed characters (or a set of allowed values), built once when the schema loads.
 */

/** One coded position, ready to check. */
export interface FixedPosition {
  /** First and last character position (0-based, inclusive) within the field. */
  readonly start: number;
  readonly end: number;
  /** "008/18-21", "007/03", "006/05". */
  readonly name: string;
  readonly label: string;
  /** Per character: 1 when allowed, indexed by char code; null when the position is checked as a whole. */
  readonly chars: Uint8Array | null;
  /** Whole-position values; null when checked per character. */
  readonly values: ReadonlySet<string> | null;
  /** Whole-position numbers (digits only, the position's width), e.g. 001-999; null when none. */
  readonly range: readonly [number, number] | null;
  /** The end of the message: "expected one of blank, a, b, |". */
  readonly expected: string;
}

/** A 007 category of material (007/00). */
export interface Category007 {
  readonly label: string;
  readonly minLength: number;
  readonly positions: readonly FixedPosition[];
}

export interface FixedFieldRules {
  /** 008/18-34 positions per material key (b, c, m, p, s, v, x). */
  readonly material008: ReadonlyMap<string, readonly FixedPosition[]>;
  /** 006/01-17 positions per 006/00 form of material. */
  readonly form006: ReadonlyMap<string, readonly FixedPosition[]>;
  readonly category007: ReadonlyMap<string, Category007>;
  /** Leader/06 -> material key (Leader/06 a or t with a Leader/07 in `continuingLevels` is "s"). */
  readonly materialOfType: ReadonlyMap<string, string>;
  readonly continuingLevels: string;
  /** For messages: "a, c, d, ..." */
  readonly forms006: string;
  readonly categories007: string;
}

/** One coded position of a fixed-length field: where it is, its label, and what it may hold. */
export interface CompactPosition {
  /** First and last character position, 0-based and inclusive, as LoC writes them: "18-21", "23-23". */
  at: string;
  /** Lower-case label without LoC's "(006/01-04)" cross-reference. */
  label: string;
  /** Each character of the position must be one of these (blank is " "), in character-code order. */
  chars?: string;
  /** Or: the whole position must be one of these comma-separated values (none holds a comma)... */
  values?: string;
  /** ...or a number in this range written with the position's width (LoC's "001-999" is "1-999"). */
  range?: string;
}

/** The `fixed` part of generated/schema.json, as scripts/generate-marc-schema.ts writes it. */
export interface CompactFixed {
  /** Leader/06 and 006/00 -> 008 material key (Leader/06 a or t with Leader/07 b, i or s is "s" instead). */
  materials: Record<string, string>;
  /** Leader/07 values that make Leader/06 a or t a continuing resource. */
  continuingLevels: string;
  /** 008/18-34 per material key: b books, c computer files, m music, p maps, s continuing resources, ... */
  "008": Record<string, { label: string; positions: CompactPosition[] }>;
  /** 007 per category of material (007/00): the length it needs and its positions after 00. */
  "007": Record<string, { label: string; minLength: number; positions: CompactPosition[] }>;
}

/** 006/01-17 hold what 008/18-34 hold for the same material. */
const SHIFT_006 = 17;

export function compileFixed(fixed: CompactFixed): FixedFieldRules {
  const material008 = new Map<string, readonly FixedPosition[]>();
  const byMaterial006 = new Map<string, readonly FixedPosition[]>();
  for (const [key, m] of Object.entries(fixed["008"])) {
    material008.set(key, Object.freeze(m.positions.map((p) => compilePosition("008", p, 0))));
    byMaterial006.set(key, Object.freeze(m.positions.map((p) => compilePosition("006", p, SHIFT_006))));
  }
  const form006 = new Map<string, readonly FixedPosition[]>();
  for (const [form, key] of Object.entries(fixed.materials)) {
    const positions = byMaterial006.get(key);
    if (positions !== undefined) form006.set(form, positions);
  }
  const category007 = new Map<string, Category007>();
  for (const [cat, c] of Object.entries(fixed["007"])) {
    category007.set(
      cat,
      Object.freeze({
        label: c.label.toLowerCase(),
        minLength: c.minLength,
        positions: Object.freeze(c.positions.map((p) => compilePosition("007", p, 0))),
      }),
    );
  }
  return Object.freeze({
    material008,
    form006,
    category007,
    materialOfType: new Map(Object.entries(fixed.materials)),
    continuingLevels: fixed.continuingLevels,
    forms006: [...form006.keys()].sort().join(", "),
    categories007: [...category007.keys()].sort().join(", "),
  });
}

function compilePosition(tag: string, p: CompactPosition, shift: number): FixedPosition {
  const [from, to] = p.at.split("-").map(Number);
  const start = from - shift;
  const end = to - shift;
  const name = `${tag}/${pad(start)}${end > start ? `-${pad(end)}` : ""}`;
  let chars: Uint8Array | null = null;
  let values: Set<string> | null = null;
  let range: [number, number] | null = null;
  let expected: string;
  if (p.chars !== undefined) {
    chars = new Uint8Array(128);
    for (const c of p.chars) chars[c.charCodeAt(0)] = 1;
    const list = [...p.chars].map((c) => (c === " " ? "blank" : c)).join(", ");
    expected = end > start ? `expected each character one of ${list}` : `expected one of ${list}`;
  } else {
    values = new Set(p.values?.split(",") ?? []);
    const shown = [...values].map((v) => (v.includes(" ") ? JSON.stringify(v) : v));
    if (p.range !== undefined) {
      const [lo, hi] = p.range.split("-").map(Number);
      range = [lo, hi];
      const width = end - start + 1;
      shown.unshift(`${String(lo).padStart(width, "0")}-${String(hi).padStart(width, "0")}`);
    }
    expected = `expected one of ${shown.join(", ")}`;
  }
  return Object.freeze({ start, end, name, label: p.label, chars, values, range, expected });
}

function pad(n: number): string {
  return n.toString().padStart(2, "0");
}

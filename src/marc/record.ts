/**
 * The MARC record model: immutable values, field order preserved.
 *
 * ```ts
 * const r = createRecord({ leader: "00000nam a2200000 a 4500", fields: [
 *   controlField("001", "123"), dataField("245", "1", "0", [["a", "Title /"], ["c", "Me."]]) ] });
 * r.get("245")?.subfield("a") // "Title /"
 * ```
 */

export interface Subfield {
  readonly code: string;
  readonly value: string;
}

export interface ControlField {
  readonly kind: "control";
  readonly tag: string;
  readonly value: string;
}

export interface DataField {
  readonly kind: "data";
  readonly tag: string;
  readonly ind1: string;
  readonly ind2: string;
  readonly subfields: readonly Subfield[];
}

export type Field = ControlField | DataField;

export function controlField(tag: string, value: string): ControlField {
  return Object.freeze({ kind: "control", tag, value });
}

export function dataField(
  tag: string,
  ind1: string,
  ind2: string,
  subfields: readonly (Subfield | readonly [string, string])[],
): DataField {
  const subs = subfields.map((s) =>
    Array.isArray(s)
      ? Object.freeze({ code: s[0], value: s[1] })
      : Object.freeze({ code: (s as Subfield).code, value: (s as Subfield).value }),
  );
  return Object.freeze({ kind: "data", tag, ind1, ind2, subfields: Object.freeze(subs) });
}

/** Control fields are 001-009 (and 00X in general); everything else carries indicators and subfields. */
export function isControlTag(tag: string): boolean {
  return tag.length === 3 && tag.startsWith("00");
}

export function isDataField(field: Field): field is DataField {
  return field.kind === "data";
}

/** Values of the subfields with the given codes (all codes when none given), in field order. */
export function subfieldValues(field: Field, ...codes: string[]): string[] {
  if (field.kind !== "data") return [];
  const out: string[] = [];
  for (const s of field.subfields) if (codes.length === 0 || codes.includes(s.code)) out.push(s.value);
  return out;
}

/** First value of subfield `code`, or undefined. */
export function subfield(field: Field, code: string): string | undefined {
  if (field.kind !== "data") return undefined;
  for (const s of field.subfields) if (s.code === code) return s.value;
  return undefined;
}

export function fieldsEqual(a: Field, b: Field): boolean {
  if (a.kind !== b.kind || a.tag !== b.tag) return false;
  if (a.kind === "control") return a.value === (b as ControlField).value;
  const d = b as DataField;
  if (a.ind1 !== d.ind1 || a.ind2 !== d.ind2 || a.subfields.length !== d.subfields.length) return false;
  for (let i = 0; i < a.subfields.length; i++) {
    if (a.subfields[i].code !== d.subfields[i].code || a.subfields[i].value !== d.subfields[i].value)
      return false;
  }
  return true;
}

export interface MarcRecord {
  readonly leader: string;
  readonly fields: readonly Field[];
  /** First field with the tag (pymarc's `record['245']`). */
  get(tag: string): Field | undefined;
  /** All fields with any of the tags, in record order; `[]` when none. */
  getFields(...tags: string[]): Field[];
  /** Value of a control field, or undefined. */
  controlValue(tag: string): string | undefined;
  addField(...fields: Field[]): MarcRecord;
  /** Inserts keeping tags in ascending order (after the last field with a tag <= the new one). */
  addOrderedField(field: Field): MarcRecord;
  removeFields(...tags: string[]): MarcRecord;
  /** Replaces every field with `tag` by `fields` (at the position of the first, or ordered when absent). */
  replaceFields(tag: string, ...fields: Field[]): MarcRecord;
  withLeader(leader: string): MarcRecord;
  equals(other: MarcRecord): boolean;
  title(): string | undefined;
}

class RecordValue implements MarcRecord {
  readonly leader: string;
  readonly fields: readonly Field[];

  constructor(leader: string, fields: readonly Field[]) {
    this.leader = leader;
    this.fields = Object.freeze(fields.slice());
    Object.freeze(this);
  }

  get(tag: string): Field | undefined {
    return this.fields.find((f) => f.tag === tag);
  }

  getFields(...tags: string[]): Field[] {
    return this.fields.filter((f) => tags.includes(f.tag));
  }

  controlValue(tag: string): string | undefined {
    const f = this.get(tag);
    return f?.kind === "control" ? f.value : undefined;
  }

  addField(...fields: Field[]): MarcRecord {
    return new RecordValue(this.leader, [...this.fields, ...fields]);
  }

  addOrderedField(field: Field): MarcRecord {
    let at = 0;
    for (let i = 0; i < this.fields.length; i++) if (this.fields[i].tag <= field.tag) at = i + 1;
    const next = this.fields.slice();
    next.splice(at, 0, field);
    return new RecordValue(this.leader, next);
  }

  removeFields(...tags: string[]): MarcRecord {
    return new RecordValue(
      this.leader,
      this.fields.filter((f) => !tags.includes(f.tag)),
    );
  }

  replaceFields(tag: string, ...fields: Field[]): MarcRecord {
    const first = this.fields.findIndex((f) => f.tag === tag);
    if (first < 0) {
      let r: MarcRecord = this;
      for (const f of fields) r = r.addOrderedField(f);
      return r;
    }
    const next: Field[] = [];
    this.fields.forEach((f, i) => {
      if (i === first) next.push(...fields);
      if (f.tag !== tag) next.push(f);
    });
    return new RecordValue(this.leader, next);
  }

  withLeader(leader: string): MarcRecord {
    return new RecordValue(leader, this.fields);
  }

  equals(other: MarcRecord): boolean {
    if (this.leader !== other.leader || this.fields.length !== other.fields.length) return false;
    for (let i = 0; i < this.fields.length; i++)
      if (!fieldsEqual(this.fields[i], other.fields[i])) return false;
    return true;
  }

  title(): string | undefined {
    const f = this.get("245");
    if (!f) return undefined;
    return subfieldValues(f, "a", "b").join(" ").trim() || undefined;
  }
}

export const BLANK_LEADER = "00000nam a2200000 a 4500";

/** Builds an immutable record. The leader is padded or cut to 24 characters. */
export function createRecord(init: { leader?: string; fields?: readonly Field[] } = {}): MarcRecord {
  const leader = (init.leader ?? BLANK_LEADER).padEnd(24, " ").slice(0, 24);
  return new RecordValue(leader, init.fields ?? []);
}

/**
 * The crosswalk profile: YAML data (constants, field templates, language, degree and article tables) that
 * users copy and edit. Loaded and checked whole before anything is harvested; every problem names the file,
 * the line and the key (`thesis.yaml:14: leader.encodingLevel: must be one character`).
 *
 * ```ts
 * const profile = await loadProfile();              // the built-in thesis profile
 * const mine = await loadProfile("my-thesis.yaml"); // a copy of it, edited
 * ```
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseConfigText } from "../config/source.js";
import { ConfigError } from "../config/units.js";
import { OaiError } from "./errors.js";

export interface FieldTemplate {
  readonly tag: string;
  readonly ind1: string;
  readonly ind2: string;
  readonly subfields: readonly (readonly [string, string])[];
}

export interface CrosswalkProfile {
  readonly file: string;
  readonly leader: { readonly encodingLevel: string; readonly descriptiveForm: string };
  readonly institution: {
    readonly symbol: string;
    readonly name: string;
    readonly place: string;
    readonly country: string;
  };
  readonly catalogingLanguage: string;
  readonly descriptionConventions: string;
  readonly contributors: "advisor" | "contributor" | "ignore";
  readonly abstractMaxLength: number;
  readonly extent: string;
  /** Lower-cased keys. */
  readonly degrees: Readonly<Record<string, string>>;
  readonly sets: Readonly<Record<string, { readonly degree?: string; readonly grantor?: string }>>;
  /** Lower-cased keys. */
  readonly languages: Readonly<Record<string, string>>;
  readonly articles: Readonly<Record<string, readonly string[]>>;
  readonly fields: readonly FieldTemplate[];
}

export const BUILT_IN_PROFILE = new URL("./profiles/thesis.yaml", import.meta.url);

export class ProfileError extends OaiError {
  constructor(message: string) {
    super(message, "BAD_PROFILE");
  }
}

const TOP_KEYS = [
  "version",
  "leader",
  "institution",
  "catalogingLanguage",
  "descriptionConventions",
  "contributors",
  "abstractMaxLength",
  "extent",
  "degrees",
  "sets",
  "languages",
  "articles",
  "fields",
];
const PLACEHOLDERS = new Set(["year", "degree", "grantor", "publisher", "place"]);

/** Reads and checks a profile file (default: the built-in thesis profile). */
export async function loadProfile(path?: string, displayName?: string): Promise<CrosswalkProfile> {
  const file = path ?? BUILT_IN_PROFILE;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ProfileError(
      `cannot read the profile ${displayName ?? String(path)}: ${(err as Error).message}`,
    );
  }
  return parseProfile(text, displayName ?? (path ? basename(path) : "thesis.yaml (built in)"));
}

export function parseProfile(text: string, name: string): CrosswalkProfile {
  let source: ReturnType<typeof parseConfigText>;
  try {
    source = parseConfigText(text, name);
  } catch (err) {
    throw new ProfileError(
      err instanceof ConfigError ? err.message.replace(": config: ", ": ") : String(err),
    );
  }
  const fail = (key: string, detail: string): never => {
    const line = source.lineOf(key);
    throw new ProfileError(`${name}${line ? `:${line}` : ""}: ${key}: ${detail}`);
  };
  const d = source.data;
  for (const k of Object.keys(d))
    if (!TOP_KEYS.includes(k)) fail(k, `unknown key (known: ${TOP_KEYS.join(", ")})`);
  if (d.version !== 1) fail("version", "must be 1");
  const map = (key: string): Record<string, unknown> => {
    const v = key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], d);
    if (v === undefined || v === null) return {};
    if (typeof v !== "object" || Array.isArray(v)) return fail(key, "must be a mapping");
    return v as Record<string, unknown>;
  };
  const str = (key: string, v: unknown, check?: (s: string) => string | undefined): string => {
    if (typeof v !== "string")
      return fail(key, `must be a string (got ${v === undefined ? "nothing" : JSON.stringify(v)})`);
    const problem = check?.(v);
    return problem ? fail(key, problem) : v;
  };
  const only = (key: string, m: Record<string, unknown>, keys: string[]) => {
    for (const k of Object.keys(m))
      if (!keys.includes(k)) fail(`${key}.${k}`, `unknown key (known: ${keys.join(", ")})`);
  };
  const oneChar = (s: string) =>
    s.length === 1 ? undefined : `must be one character (got ${JSON.stringify(s)})`;
  const code3 = (s: string) =>
    /^[a-z]{3}$/.test(s) ? undefined : `must be a three-letter MARC code (got ${JSON.stringify(s)})`;

  const leader = map("leader");
  only("leader", leader, ["encodingLevel", "descriptiveForm"]);
  const inst = map("institution");
  only("institution", inst, ["symbol", "name", "place", "country"]);
  const contributors = str("contributors", d.contributors ?? "advisor");
  if (!["advisor", "contributor", "ignore"].includes(contributors))
    fail("contributors", "must be advisor, contributor or ignore");
  const max = d.abstractMaxLength ?? 1500;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 100 || max > 9000) {
    fail("abstractMaxLength", "must be a whole number from 100 to 9000");
  }
  const table = (key: string, check?: (s: string) => string | undefined) =>
    Object.fromEntries(
      Object.entries(map(key)).map(([k, v]) => [k.toLowerCase(), str(`${key}.${k}`, v, check)]),
    );
  const sets = Object.fromEntries(
    Object.entries(map("sets")).map(([spec, v]) => {
      const m = map(`sets.${spec}`);
      only(`sets.${spec}`, m, ["degree", "grantor"]);
      const degree = m.degree === undefined ? undefined : str(`sets.${spec}.degree`, m.degree);
      const grantor = m.grantor === undefined ? undefined : str(`sets.${spec}.grantor`, m.grantor);
      return [spec, v === null ? {} : { degree, grantor }];
    }),
  );
  const articles = Object.fromEntries(
    Object.entries(map("articles")).map(([lang, v]) => {
      code3(lang) && fail(`articles.${lang}`, code3(lang)!);
      if (!Array.isArray(v)) fail(`articles.${lang}`, "must be a list of articles");
      return [lang, (v as unknown[]).map((a, i) => str(`articles.${lang}.${i}`, a).toLowerCase())];
    }),
  );
  const fieldsRaw = d.fields ?? [];
  if (!Array.isArray(fieldsRaw)) fail("fields", "must be a list of field templates");
  const fields = (fieldsRaw as unknown[]).map((_, i) =>
    fieldTemplate(`fields.${i}`, map(`fields.${i}`), { str, only, fail }),
  );
  return {
    file: name,
    leader: {
      encodingLevel: str("leader.encodingLevel", leader.encodingLevel ?? "K", oneChar),
      descriptiveForm: str("leader.descriptiveForm", leader.descriptiveForm ?? "i", oneChar),
    },
    institution: {
      symbol: str("institution.symbol", inst.symbol ?? "", (s) =>
        /^[A-Z0-9$]*$/.test(s) ? undefined : "must be an OCLC symbol (capital letters and digits)",
      ),
      name: str("institution.name", inst.name),
      place: str("institution.place", inst.place ?? "[Place of publication not identified]"),
      country: str("institution.country", inst.country ?? "xx ", (s) =>
        /^[a-z]{2}[a-z ]$/.test(s) ? undefined : "must be a MARC country code padded to three characters",
      ),
    },
    catalogingLanguage: str("catalogingLanguage", d.catalogingLanguage ?? "eng", code3),
    descriptionConventions: str("descriptionConventions", d.descriptionConventions ?? "rda"),
    contributors: contributors as CrosswalkProfile["contributors"],
    abstractMaxLength: max as number,
    extent: str("extent", d.extent ?? "1 online resource"),
    degrees: table("degrees"),
    sets,
    languages: table("languages", code3),
    articles,
    fields,
  };
}

interface Checks {
  str(key: string, v: unknown, check?: (s: string) => string | undefined): string;
  only(key: string, m: Record<string, unknown>, keys: string[]): void;
  fail(key: string, detail: string): never;
}

function fieldTemplate(key: string, m: Record<string, unknown>, c: Checks): FieldTemplate {
  c.only(key, m, ["tag", "ind1", "ind2", "subfields"]);
  const tag = c.str(`${key}.tag`, m.tag, (s) =>
    /^[0-9]{3}$/.test(s) && !s.startsWith("00") ? undefined : "must be a data field tag (010-999)",
  );
  const ind = (k: "ind1" | "ind2") =>
    c.str(`${key}.${k}`, m[k] ?? " ", (s) => (/^[0-9 ]$/.test(s) ? undefined : "must be a digit or a blank"));
  if (!Array.isArray(m.subfields) || m.subfields.length === 0)
    c.fail(`${key}.subfields`, "must be a list of [code, value] pairs");
  const subfields = (m.subfields as unknown[]).map((s, i) => {
    const at = `${key}.subfields.${i}`;
    if (!Array.isArray(s) || s.length !== 2) return c.fail(at, "must be a [code, value] pair");
    const code = c.str(at, String(s[0]), (x) =>
      /^[a-z0-9]$/.test(x) ? undefined : `subfield code ${JSON.stringify(x)} must be a-z or 0-9`,
    );
    const value = c.str(at, s[1]);
    for (const p of value.matchAll(/\{([^}]*)\}/g)) {
      if (!PLACEHOLDERS.has(p[1]))
        c.fail(at, `unknown value {${p[1]}} (known: ${[...PLACEHOLDERS].map((x) => `{${x}}`).join(", ")})`);
    }
    return [code, value] as const;
  });
  return { tag, ind1: ind("ind1"), ind2: ind("ind2"), subfields };
}

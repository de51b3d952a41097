/**
 * The intermediate shape every metadata format maps into before the crosswalk: one repository item, its
 * values as the repository wrote them (trimmed), grouped by what they mean for a catalogue record.
 */
export interface Subject {
  readonly value: string;
  /** `lcsh`, `mesh`, `ddc`, `lcc` when the format says so; absent for keywords. */
  readonly scheme?: string;
  /**
   * What the heading names when the format says so (MODS `geographic`, `name`): a place becomes a 651, a
   * person a 600, a body a 610. Absent: a topic (650).
   */
  readonly kind?: "geographic" | "personal" | "corporate";
}

export interface RepositoryItem {
  /** The OAI identifier (`oai:repo.example.edu:123456789/42`). */
  readonly identifier: string;
  readonly datestamp: string;
  readonly sets: readonly string[];
  /** The metadataPrefix the item came in. */
  readonly format: string;
  readonly titles: readonly string[];
  readonly alternativeTitles: readonly string[];
  /** Authors, as written (inverted `Family, Given` kept). */
  readonly creators: readonly string[];
  readonly advisors: readonly string[];
  /** Contributors in another role than author or advisor (committee members, editors). */
  readonly contributors: readonly string[];
  /**
   * Contributors whose role the format does not say (Dublin Core's dc:contributor, where DSpace also writes
   * its advisors); the profile's `contributors` decides what they become.
   */
  readonly unqualifiedContributors: readonly string[];
  readonly subjects: readonly Subject[];
  readonly abstracts: readonly string[];
  /** Descriptions that are not abstracts (notes). */
  readonly descriptions: readonly string[];
  readonly publishers: readonly string[];
  /** Dates, the issue date first when the format tells which it is. */
  readonly dates: readonly string[];
  readonly types: readonly string[];
  readonly languages: readonly string[];
  /** URIs, handles, DOIs (bibliographic citations left out). */
  readonly identifiers: readonly string[];
  readonly degree: {
    readonly name?: string;
    readonly level?: string;
    readonly grantor?: string;
    readonly discipline?: string;
  };
  readonly extent?: string;
  readonly rights: readonly string[];
}

/** A mutable builder used by the format readers. */
export type ItemDraft = {
  -readonly [K in keyof RepositoryItem]: RepositoryItem[K] extends readonly (infer T)[]
    ? T[]
    : RepositoryItem[K] extends object
      ? { -readonly [J in keyof RepositoryItem[K]]: RepositoryItem[K][J] }
      : RepositoryItem[K];
};

export function emptyDraft(
  identifier: string,
  datestamp: string,
  sets: readonly string[],
  format: string,
): ItemDraft {
  return {
    identifier,
    datestamp,
    sets: [...sets],
    format,
    titles: [],
    alternativeTitles: [],
    creators: [],
    advisors: [],
    contributors: [],
    unqualifiedContributors: [],
    subjects: [],
    abstracts: [],
    descriptions: [],
    publishers: [],
    dates: [],
    types: [],
    languages: [],
    identifiers: [],
    degree: {},
    extent: undefined,
    rights: [],
  };
}

/** Identifiers worth keeping: URIs, handles and DOIs; not the citations some repositories put there. */
export function isLinkable(value: string): boolean {
  return /^(https?:\/\/|hdl:|doi:|urn:|info:doi\/)\S+$/i.test(value) || /^10\.\d{4,9}\/\S+$/.test(value);
}

/** The identifier as a link: bare and `doi:` DOIs to https://doi.org/, `hdl:` handles to hdl.handle.net. */
export function linkOf(value: string): string | undefined {
  const v = value.trim();
  if (!isLinkable(v)) return undefined;
  const doi = /^(?:doi:|info:doi\/)?(10\.\d{4,9}\/\S+)$/i.exec(v)?.[1];
  if (doi) return `https://doi.org/${doi}`;
  if (/^hdl:/i.test(v)) return `https://hdl.handle.net/${v.slice(4)}`;
  return v;
}

/** Pushes a trimmed, non-empty value once. */
export function add(list: string[], value: string | undefined): void {
  const v = value?.replace(/\s+/g, " ").trim();
  if (v && !list.includes(v)) list.push(v);
}

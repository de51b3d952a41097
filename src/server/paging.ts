/** Paging and sorting query fields (`page`, `size`, `sort=creationTime,desc`) shared by every list. */
import type { ProcessQuery } from "../engine/service.js";
import { MalformedRequestError } from "./errors.js";

export const MAX_PAGE_SIZE = 1000;
/** page * size stays a safe integer (a huge page once reached SQLite as a non-integer OFFSET: a 500). */
export const MAX_PAGE = 1_000_000_000;

export const pagingProperties = {
  page: { type: "integer", minimum: 0, maximum: MAX_PAGE, default: 0, description: "zero-based page number" },
  size: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: "page size" },
  sort: {
    type: "string",
    description:
      "field[,asc|desc]; fields: creationTime, startTime, endTime, processId, scriptName, processStatus",
  },
} as const;

export interface PagingQuery {
  readonly page: number;
  readonly size: number;
  readonly sort?: string;
}

const FIELDS = {
  creationTime: "created_at",
  startTime: "started_at",
  endTime: "finished_at",
  processId: "id",
  scriptName: "script",
  processStatus: "status",
} as const;

/** `field[,asc|desc]` checked against the allowed fields; 400 naming the sort otherwise. */
export function parseSort<F extends string>(
  sort: string,
  fields: readonly F[],
): { field: F; direction: "asc" | "desc" } {
  const [field, dir = "asc", ...rest] = sort.split(",").map((s) => s.trim());
  const direction = dir.toLowerCase();
  if (!fields.includes(field as F) || rest.length > 0 || (direction !== "asc" && direction !== "desc")) {
    throw new MalformedRequestError(
      `cannot sort by '${sort}': use one of ${fields.join(", ")}, optionally with ,asc or ,desc`,
      [{ parameter: "querystring.sort", message: `unknown sort '${sort}'` }],
    );
  }
  return { field: field as F, direction };
}

/** `creationTime,desc` -> the engine's sort; 400 naming the field otherwise. */
export function processSort(sort: string | undefined): ProcessQuery["sort"] {
  if (sort === undefined || sort === "") return undefined;
  const { field, direction } = parseSort(sort, Object.keys(FIELDS) as (keyof typeof FIELDS)[]);
  return { field: FIELDS[field], direction };
}

/**
 * Sorts a list held in memory (scripts, files) by `sort` over the given keys; the list's own order when
 * no sort is given, and for ties.
 */
export function sortList<T, F extends string>(
  items: readonly T[],
  sort: string | undefined,
  keys: Readonly<Record<F, (item: T) => string | number>>,
): T[] {
  if (sort === undefined || sort === "") return [...items];
  const { field, direction } = parseSort(sort, Object.keys(keys) as F[]);
  const key = keys[field];
  const sign = direction === "asc" ? 1 : -1;
  return items
    .map((item, index) => ({ item, index, k: key(item) }))
    .sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : a.index - b.index))
    .map((e) => e.item);
}

/** The `sort` query field of an in-memory list. */
export function sortProperty(fields: readonly string[]) {
  return { type: "string", description: `field[,asc|desc]; fields: ${fields.join(", ")}` } as const;
}

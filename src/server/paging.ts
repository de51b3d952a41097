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

/** `creationTime,desc` -> the engine's sort; 400 naming the field otherwise. */
export function processSort(sort: string | undefined): ProcessQuery["sort"] {
  if (sort === undefined || sort === "") return undefined;
  const [field, dir = "asc", ...rest] = sort.split(",").map((s) => s.trim());
  const column = FIELDS[field as keyof typeof FIELDS];
  const direction = dir.toLowerCase();
  if (!column || rest.length > 0 || (direction !== "asc" && direction !== "desc")) {
    throw new MalformedRequestError(
      `cannot sort by '${sort}': use one of ${Object.keys(FIELDS).join(", ")}, optionally with ,asc or ,desc`,
      [{ parameter: "querystring.sort", message: `unknown sort '${sort}'` }],
    );
  }
  return { field: column, direction };
}

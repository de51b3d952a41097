/** The shapes the REST API answers (HAL), as far as the UI reads them. */

export type Role = "admin" | "operator" | "viewer";
export type ProcessStatus = "SCHEDULED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";
export const STATUSES: readonly ProcessStatus[] = [
  "SCHEDULED",
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
];

export interface Me {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  readonly csrfToken?: string;
}

export interface Link {
  readonly href: string;
}

export interface Page<K extends string, T> {
  readonly _embedded: Record<K, T[]>;
  readonly page: { size: number; totalElements: number; totalPages: number; number: number };
}

export interface ScriptParameter {
  readonly name: string;
  readonly nameLong: string;
  readonly description?: string;
  /** The contract's names: String, Integer, boolean, date, InputStream, OutputStream. */
  readonly type: string;
  readonly mandatory: boolean;
  readonly values?: readonly string[];
  readonly defaultValue?: string | number | boolean;
  readonly secret?: boolean;
}

export interface Script {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ScriptParameter[];
}

export interface Process {
  readonly processId: number;
  readonly userId: string | null;
  readonly scriptName: string;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly creationTime: string;
  readonly processStatus: ProcessStatus;
  /** As sent: names and values as written (null for a flag sent without a value); secrets masked. */
  readonly parameters: readonly { name: string; value: string | number | boolean | null }[];
  readonly progress: { done: number; total: number | null } | null;
  readonly exitMessage: string | null;
  readonly result: unknown;
  readonly account: string | null;
  readonly startedBy: string;
  readonly runAt: string;
  readonly resumedFrom: number | null;
  /** COMPLETED batches: ok, warnings or errors (issue 17), when the server reports it. */
  readonly outcome?: string | null;
  /** The item counts behind the outcome (COMPLETED batches). */
  readonly outcomeCounts?: {
    readonly total: number;
    readonly failed: number;
    readonly unknown: number;
    readonly warnings: number;
  } | null;
  /** The status as people read it: `COMPLETED with errors: 7 of 24 failed`. */
  readonly statusText?: string;
  readonly _links: { self: Link; output: Link; files: Link };
}

export interface ProcessFile {
  readonly id: number | string;
  readonly name: string;
  readonly fileType?: string;
  readonly sizeBytes: number | null;
  readonly creationTime?: string;
  readonly metadata?: Record<string, { value: string }[]>;
  readonly _links: { self: Link; content: Link };
}

export interface UserSummary {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
}

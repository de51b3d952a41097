/**
 * The response bodies of the API as JSON schemas (OpenAPI `components.schemas`): the contract's HAL shapes
 * (script, process, paged lists, file types) and Nightshift's additions. Routes name them with `ref()`.
 */
import type { ProcessSource, ProcessStatus } from "../../store/schema.js";

type JsonSchema = Record<string, unknown>;

/** A `$ref` to one of the component schemas below. */
export function ref(name: keyof typeof componentSchemas): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

const STATUSES = ["SCHEDULED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] satisfies ProcessStatus[];
const SOURCES = ["cli", "rest", "schedule", "trigger"] satisfies ProcessSource[];

const str = { type: "string" } as const;
const int = { type: "integer" } as const;
/** DSpace metadata values of one field: `[{ "value": "..." }]`. */
const metadataValues = {
  type: "array",
  items: { type: "object", required: ["value"], properties: { value: { type: "string" } } },
} as const;
const nullable = (type: string) => ({ type: [type, "null"] });
const link = { $ref: "#/components/schemas/Link" };

/** `_links` with the given relations, all required. */
function links(...rels: string[]): JsonSchema {
  return { type: "object", required: rels, properties: Object.fromEntries(rels.map((r) => [r, link])) };
}

/** The contract's paged collection: `{_embedded: {name: [...]}, _links, page}`. */
function paged(name: string, item: string): JsonSchema {
  return {
    type: "object",
    required: ["_embedded", "_links", "page"],
    properties: {
      _embedded: {
        type: "object",
        required: [name],
        properties: { [name]: { type: "array", items: { $ref: `#/components/schemas/${item}` } } },
      },
      _links: {
        type: "object",
        required: ["self"],
        properties: { self: link, first: link, prev: link, next: link, last: link },
      },
      page: {
        type: "object",
        required: ["size", "totalElements", "totalPages", "number"],
        properties: { size: int, totalElements: int, totalPages: int, number: int },
      },
    },
  };
}

export const componentSchemas = {
  Problem: {
    type: "object",
    required: ["type", "title", "status", "detail"],
    properties: {
      type: str,
      title: str,
      status: int,
      detail: str,
      errors: {
        type: "array",
        items: {
          type: "object",
          required: ["parameter", "message"],
          properties: { parameter: str, message: str },
        },
      },
    },
  },
  HalResource: { type: "object", properties: { _links: { type: "object" }, _embedded: { type: "object" } } },
  Link: { type: "object", required: ["href"], properties: { href: str } },
  ScriptParameter: {
    type: "object",
    required: ["name", "nameLong", "description", "type", "mandatory"],
    properties: {
      name: str,
      nameLong: str,
      description: str,
      type: { enum: ["String", "Integer", "boolean", "date", "InputStream", "OutputStream"] },
      mandatory: { type: "boolean" },
      values: { type: "array", items: str, description: "the allowed values (an enumeration)" },
      defaultValue: { description: "the value when not given (never shown for a secret)" },
      secret: { type: "boolean", description: "masked in logs and listings; not stored for a re-run" },
    },
  },
  Script: {
    type: "object",
    required: ["id", "name", "type", "description", "parameters", "_links"],
    properties: {
      id: str,
      name: str,
      type: { const: "script" },
      description: str,
      parameters: { type: "array", items: { $ref: "#/components/schemas/ScriptParameter" } },
      _links: links("self", "processes"),
    },
  },
  Process: {
    type: "object",
    required: [
      "processId",
      "userId",
      "scriptName",
      "startTime",
      "endTime",
      "creationTime",
      "processStatus",
      "parameters",
      "_links",
    ],
    properties: {
      id: int,
      type: { const: "process" },
      processId: int,
      userId: nullable("string"),
      scriptName: str,
      startTime: nullable("string"),
      endTime: nullable("string"),
      creationTime: str,
      processStatus: { enum: STATUSES },
      outcome: {
        enum: ["ok", "warnings", "errors", null],
        description:
          "how a COMPLETED process went (errors: some items failed or are unknown); null otherwise",
      },
      outcomeCounts: {
        type: ["object", "null"],
        required: ["total", "failed", "unknown", "warnings"],
        properties: { total: int, failed: int, unknown: int, warnings: int },
      },
      statusText: {
        type: "string",
        description: "the status as people read it: `COMPLETED with errors: 7 of 24 failed`",
      },
      parameters: {
        type: "array",
        description:
          "as sent: each name as written (`-d` or `--days`), its value as written (null for a flag sent without one); secret values masked",
        items: {
          type: "object",
          required: ["name", "value"],
          properties: { name: str, value: { type: ["string", "number", "boolean", "null"] } },
        },
      },
      progress: {
        type: ["object", "null"],
        required: ["done", "total"],
        properties: { done: int, total: nullable("integer") },
      },
      heartbeat: nullable("string"),
      exitMessage: nullable("string"),
      result: { description: "what the script returned (JSON), or null" },
      account: nullable("string"),
      startedBy: { enum: SOURCES },
      runAt: { type: "string", description: "not started before this time (delayed start)" },
      resumedFrom: nullable("integer"),
      schedule: { type: "string", description: "the schedule that started it (startedBy schedule)" },
      scheduledFor: { type: "string", description: "the slot it fired for (ISO time); absent for run now" },
      trigger: { type: "string", description: "the trigger that started it (startedBy trigger)" },
      _links: links("self", "script", "output", "files", "filetypes"),
    },
  },
  ProcessFile: {
    type: "object",
    required: [
      "id",
      "uuid",
      "type",
      "name",
      "fileType",
      "sizeBytes",
      "checkSum",
      "metadata",
      "creationTime",
      "_links",
    ],
    properties: {
      id: int,
      uuid: {
        type: "string",
        description: "stable; GET /api/core/bitstreams/{uuid}/content answers the bytes",
      },
      type: { const: "bitstream", description: "as DSpace calls a process file" },
      name: str,
      fileType: { type: "string", description: "inputfile (an upload), log, report, failures, ..." },
      sizeBytes: nullable("integer"),
      checkSum: {
        type: ["object", "null"],
        required: ["checkSumAlgorithm", "value"],
        properties: { checkSumAlgorithm: { const: "SHA-256" }, value: str },
      },
      metadata: {
        type: "object",
        required: ["dc.title", "dspace.process.filetype"],
        properties: {
          "dc.title": metadataValues,
          "dspace.process.filetype": metadataValues,
        },
      },
      creationTime: str,
      _links: links("self", "content", "bitstream"),
    },
  },
  Schedule: {
    type: "object",
    required: [
      "name",
      "script",
      "args",
      "cron",
      "timezone",
      "account",
      "overlap",
      "catchUp",
      "priority",
      "enabled",
      "source",
      "readOnly",
      "nextRuns",
      "lastProcess",
      "_links",
    ],
    properties: {
      id: str,
      type: { const: "schedule" },
      name: str,
      script: str,
      args: { type: "array", items: str },
      cron: str,
      timezone: str,
      account: nullable("string"),
      overlap: { enum: ["skip", "queue", "allow"] },
      catchUp: { enum: ["skip", "once"] },
      priority: int,
      enabled: { type: "boolean" },
      source: { enum: ["config", "api"], description: "config: read-only through the API" },
      readOnly: { type: "boolean" },
      nextRuns: { type: "array", items: str, description: "ISO times (UTC)" },
      lastProcess: {
        type: ["object", "null"],
        required: ["id", "status", "scheduledFor", "startedAt", "finishedAt", "exitMessage", "outcome"],
        properties: {
          id: int,
          status: { enum: STATUSES },
          scheduledFor: nullable("string"),
          startedAt: nullable("string"),
          finishedAt: nullable("string"),
          exitMessage: nullable("string"),
          outcome: nullable("string"),
        },
      },
      state: { description: "the schedule state (JSON) as the last COMPLETED process left it, or null" },
      _links: links("self", "run", "next", "script"),
    },
  },
  SchedulePage: paged("schedules", "Schedule"),
  ScheduleNext: {
    type: "object",
    required: ["name", "times", "_links"],
    properties: { name: str, times: { type: "array", items: str }, _links: links("self", "schedule") },
  },
  Trigger: {
    type: "object",
    required: ["name", "script", "kind", "auth", "_links"],
    properties: {
      id: str,
      type: { const: "trigger" },
      name: str,
      script: str,
      kind: { enum: ["webhook", "folder"] },
      auth: { enum: ["hmac", "token", "none"], description: "how webhook events are authenticated" },
      args: { type: "array", items: str },
      payload: { type: "object", description: "parameter long name -> JSON Pointer into the event" },
      idempotencyKey: nullable("string"),
      rateLimit: nullable("string"),
      folder: nullable("string"),
      _links: links("self"),
    },
  },
  TriggerPage: paged("triggers", "Trigger"),
  TriggerAccepted: {
    type: "object",
    required: ["trigger", "processId", "_links"],
    properties: {
      trigger: str,
      processId: int,
      repeated: { type: "boolean", description: "true: an event seen before; its first process" },
      _links: links("process"),
    },
  },
  ScriptPage: paged("scripts", "Script"),
  ProcessPage: paged("processes", "Process"),
  ProcessFilePage: paged("files", "ProcessFile"),
  BitstreamPage: paged("bitstreams", "ProcessFile"),
  FileTypes: {
    type: "object",
    required: ["id", "values", "_links"],
    properties: {
      id: { type: "string", pattern: "^filetypes-[0-9]+$", description: "filetypes-<processId>, as DSpace" },
      type: { const: "filetypes" },
      values: { type: "array", items: str },
      _links: links("self"),
    },
  },
  Me: {
    type: "object",
    required: ["userId", "name", "role", "authenticatedBy", "_links"],
    properties: {
      userId: str,
      name: str,
      role: { enum: ["admin", "operator", "viewer"] },
      authenticatedBy: { enum: ["token", "session"] },
      csrfToken: { type: "string", description: "with a session: send it as X-CSRF-Token on writes" },
      _links: links("self"),
    },
  },
  BulkDeleteResult: {
    type: "object",
    required: ["deleted", "refused"],
    properties: {
      deleted: { type: "array", items: int },
      refused: {
        type: "array",
        items: {
          type: "object",
          required: ["processId", "status"],
          properties: { processId: int, status: { enum: [403, 404, 422] }, detail: str },
        },
      },
    },
  },
  Notification: {
    type: "object",
    required: [
      "id",
      "processId",
      "channel",
      "recipients",
      "rule",
      "digest",
      "status",
      "attempts",
      "nextAttemptAt",
      "lastError",
      "createdAt",
      "sentAt",
    ],
    properties: {
      id: int,
      processId: int,
      channel: str,
      recipients: { type: ["array", "null"], items: str },
      rule: str,
      digest: { type: "boolean" },
      status: { enum: ["pending", "sending", "sent", "failed"] },
      attempts: int,
      nextAttemptAt: str,
      lastError: nullable("string"),
      createdAt: str,
      sentAt: nullable("string"),
    },
  },
  NotificationList: {
    type: "object",
    required: ["_embedded", "_links"],
    properties: {
      _embedded: {
        type: "object",
        required: ["notifications"],
        properties: {
          notifications: { type: "array", items: { $ref: "#/components/schemas/Notification" } },
        },
      },
      _links: links("self"),
    },
  },
  Health: { type: "object", required: ["status"], properties: { status: { const: "ok" } } },
  Ready: {
    type: "object",
    required: ["status", "checks"],
    properties: {
      status: { const: "ready" },
      checks: { type: "object", additionalProperties: { const: "ok" } },
    },
  },
} satisfies Record<string, JsonSchema>;

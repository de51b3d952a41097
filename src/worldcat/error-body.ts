/**
 * Reads OCLC's error bodies, XML and JSON alike, into { oclcCode, message, validationErrors }.
 * Shapes: see docs reference §1b, §2 and §3 (Metadata API 2.0 JSON, token server JSON, first-API XML,
 * Atom-wrapped `oclc:error`, `validationErrors` detail) and the `WWW-Authenticate` header.
 */
import type { ValidationProblem } from "./errors.js";
import { findAll, parseXmlTree, textOf } from "./xml-tree.js";

export interface ParsedErrorBody {
  readonly oclcCode?: string;
  readonly message?: string;
  readonly validationErrors: ValidationProblem[];
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined;

function occurrenceOf(v: unknown): number | undefined {
  const n = Number(v);
  return v !== undefined && v !== "" && Number.isInteger(n) && n > 0 ? n : undefined;
}

function jsonProblems(body: Json): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const params = body["invalid-params"];
  if (Array.isArray(params)) {
    for (const p of params as Json[]) {
      const message = str(p.reason) ?? str(p.message) ?? JSON.stringify(p);
      out.push({ field: str(p.name) ?? str(p.field), message });
    }
  }
  // Metadata API 2.0 validation results list field problems by kind.
  for (const key of ["fixedFieldErrors", "variableFieldErrors", "validationErrors", "errors"]) {
    const list = body[key];
    if (!Array.isArray(list)) continue;
    for (const e of list as unknown[]) {
      if (typeof e === "string") out.push({ message: e });
      else if (e && typeof e === "object") {
        const o = e as Json;
        out.push({
          field: str(o.tag) ?? str(o.field) ?? str(o.name),
          occurrence: occurrenceOf(o.occurrence),
          message: str(o.message) ?? str(o.description) ?? JSON.stringify(o),
          type: str(o.type) ?? str(o.errorLevel),
        });
      }
    }
  }
  return out;
}

/** Parses a JSON error body; undefined when `text` is not a JSON object. */
export function parseJsonError(text: string): ParsedErrorBody | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const b = body as Json;
  // Older token server: {"error":{"errorMessage":"unauthorized_client","errorCode":403}}
  if (b.error && typeof b.error === "object") {
    const e = b.error as Json;
    return {
      oclcCode: str(e.errorMessage) ?? str(e.errorCode),
      message: str(e.errorMessage),
      validationErrors: [],
    };
  }
  const detail = b.detail;
  const detailText = detail && typeof detail === "object" ? str((detail as Json).description) : str(detail);
  const status = b.status && typeof b.status === "object" ? (b.status as Json) : undefined;
  return {
    oclcCode:
      str(b.type) ??
      (detail && typeof detail === "object" ? str((detail as Json).summary) : undefined) ??
      str(status?.summary) ??
      (typeof b.error === "string" ? b.error : undefined) ??
      (typeof b.code === "string" ? str(b.code) : undefined),
    message:
      [str(b.title), detailText].filter(Boolean).join(": ") ||
      str(b.message) ||
      str(status?.description) ||
      str(b.error_description) ||
      undefined,
    validationErrors: jsonProblems(b),
  };
}

/** Parses an XML error body (bare `<error>`, Atom-wrapped `oclc:error`, validation detail). */
export function parseXmlError(text: string): ParsedErrorBody | undefined {
  const root = parseXmlTree(text.trim());
  if (!root) return undefined;
  const error = findAll(root, "error")[0] ?? root;
  const validationErrors: ValidationProblem[] = findAll(root, "validationError").map((v) => {
    const field = findAll(v, "field")[0];
    return {
      field: field?.attrs.name || undefined,
      occurrence: occurrenceOf(field?.attrs.occurrence),
      message: textOf(v, "message") ?? v.text.trim(),
      type: v.attrs.type || undefined,
    };
  });
  const code = textOf(error, "code");
  const message = textOf(error, "message") ?? textOf(root, "message");
  if (!code && !message && validationErrors.length === 0) return undefined;
  return { oclcCode: code, message, validationErrors };
}

/** `WSKeyV2 error="invalid_token" error_description="..."` -> code and message. */
export function parseWwwAuthenticate(header: string | undefined): ParsedErrorBody | undefined {
  if (!header) return undefined;
  const code = /error="([^"]*)"/.exec(header)?.[1];
  const message = /error_description="([^"]*)"/.exec(header)?.[1];
  return code || message ? { oclcCode: code, message, validationErrors: [] } : undefined;
}

/** Best reading of an error response, whatever its shape; never throws. */
export function parseErrorBody(text: string, wwwAuthenticate?: string): ParsedErrorBody {
  const trimmed = text.trim();
  const parsed = trimmed.startsWith("<")
    ? parseXmlError(trimmed)
    : trimmed.startsWith("{")
      ? parseJsonError(trimmed)
      : undefined;
  const header = parseWwwAuthenticate(wwwAuthenticate);
  return {
    oclcCode: parsed?.oclcCode ?? header?.oclcCode,
    message: parsed?.message ?? header?.message ?? (trimmed && !parsed ? trimmed.slice(0, 300) : undefined),
    validationErrors: parsed?.validationErrors ?? [],
  };
}

/**
 * The OpenAPI 3.1 document, generated from the routes as registered: path and query parameters and JSON
 * bodies come from the very schemas Fastify validates requests with; summaries, responses and the
 * multipart body from each route's `config.openapi`.
 */
import type { RouteOptions } from "fastify";
import { componentSchemas } from "./schemas.js";

type JsonSchema = Record<string, unknown>;

/** What a route says about itself beyond its validation schemas. */
export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Status -> description (and optional JSON schema / content type). */
  readonly responses?: Readonly<Record<string, string | ResponseDoc>>;
  /** Extra request bodies by content type (e.g. multipart/form-data). */
  readonly requestBodies?: Readonly<Record<string, JsonSchema>>;
  /** False when the body may be left out (e.g. the same data can come in the query); default true. */
  readonly requestBodyRequired?: boolean;
}

/** One documented response: its JSON schema (default: Problem for 4xx/5xx) and content type(s). */
export interface ResponseDoc {
  readonly description: string;
  readonly contentType?: string;
  readonly schema?: JsonSchema;
  /** The same response in other content types (e.g. a log as text/event-stream), by content type. */
  readonly alternatives?: Readonly<Record<string, JsonSchema>>;
}

export interface CollectedRoute {
  readonly method: string;
  readonly url: string;
  readonly schema?: RouteOptions["schema"];
  readonly doc?: OperationDoc;
  readonly public: boolean;
}

/** Fastify's `:id` -> OpenAPI's `{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(schema: JsonSchema | undefined, where: "path" | "query") {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(s.description ? { description: s.description } : {}),
    schema: s,
  }));
}

/**
 * The documented responses, plus what every route can answer without saying so: 400 when a request schema
 * validates something, 401 when credentials are needed, 413 when a body is too large.
 */
function responses(route: CollectedRoute) {
  const declared = route.doc?.responses ?? { "200": "OK" };
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const implied: Record<string, string> = {};
  if (canFail(schema)) implied["400"] = "invalid request (each bad field named)";
  if (!route.public) implied["401"] = "not authenticated";
  if (schema.body || route.doc?.requestBodies) implied["413"] = "request body above 1 MiB";
  const all = { ...declared };
  for (const [status, description] of Object.entries(implied)) all[status] ??= description;
  const out: Record<string, unknown> = {};
  for (const status of Object.keys(all).sort()) {
    const r = all[status];
    const spec: ResponseDoc = typeof r === "string" ? { description: r } : r;
    const type =
      spec.contentType ?? (Number(status) >= 400 ? "application/problem+json" : "application/hal+json");
    const content = { [type]: { schema: spec.schema ?? { $ref: schemaRef(status) } } };
    for (const [other, s] of Object.entries(spec.alternatives ?? {})) content[other] = { schema: s };
    out[status] = { description: spec.description, ...(status === "204" ? {} : { content }) };
  }
  return out;
}

/** Whether a request schema can refuse anything (a path of free strings cannot). */
function canFail(schema: Record<string, unknown>): boolean {
  if (schema.querystring || schema.body) return true;
  const props = ((schema.params as JsonSchema | undefined)?.properties ?? {}) as Record<string, JsonSchema>;
  return Object.values(props).some(
    (p) => Object.keys(p).some((k) => k !== "type" && k !== "description") || p.type !== "string",
  );
}

function schemaRef(status: string): string {
  return Number(status) >= 400 ? "#/components/schemas/Problem" : "#/components/schemas/HalResource";
}

function operation(route: CollectedRoute) {
  const schema = (route.schema ?? {}) as Record<string, JsonSchema | undefined>;
  const bodies: Record<string, unknown> = {};
  if (schema.body) bodies["application/json"] = { schema: schema.body };
  for (const [type, s] of Object.entries(route.doc?.requestBodies ?? {})) bodies[type] = { schema: s };
  return {
    summary: route.doc?.summary ?? `${route.method} ${route.url}`,
    ...(route.doc?.description ? { description: route.doc.description } : {}),
    ...(route.doc?.tags ? { tags: route.doc.tags } : {}),
    operationId: `${route.method.toLowerCase()}${openApiPath(route.url).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
    parameters: [...parameters(schema.params, "path"), ...parameters(schema.querystring, "query")],
    ...(Object.keys(bodies).length
      ? { requestBody: { required: route.doc?.requestBodyRequired ?? true, content: bodies } }
      : {}),
    responses: responses(route),
    ...(route.public ? { security: [] } : {}),
  };
}

/** Builds the document from the collected routes (HEAD twins left out). */
export function openApiDocument(routes: readonly CollectedRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.method === "HEAD") continue;
    const path = openApiPath(route.url);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Nightshift REST API",
      version,
      description:
        "Scripts and processes (the DSpace-compatible REST API, HAL JSON) with users, roles and tokens. Send `Authorization: Bearer <token>`, or log in for a session cookie (then send `X-CSRF-Token` on writes).",
    },
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer" },
        cookieAuth: { type: "apiKey", in: "cookie", name: "nightshift_session" },
      },
      schemas: componentSchemas,
    },
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
  };
}

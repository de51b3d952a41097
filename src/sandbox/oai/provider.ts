/**
 * The demo OAI-PMH 2.0 provider at `/oai/request` (GET and POST): Identify, ListMetadataFormats, ListSets,
 * ListIdentifiers, ListRecords, GetRecord over the sample theses; 10 records a page with resumption tokens,
 * day granularity, deletions kept persistently. With `oaiRetryAfter` set, the first resumed page of each
 * harvest is answered 503 + Retry-After once (flow control, as busy repositories do).
 */
import type { SandboxEnv } from "../env.js";
import type { RequestContext } from "../http/context.js";
import { type Reply, xml } from "../http/reply.js";
import type { Route } from "../http/router.js";
import { envelope, header, record, requestElement } from "./render.js";
import { EARLIEST, REPOSITORY_NAME, type SampleThesis, SETS, THESES } from "./theses.js";

export const OAI_PATH = "/oai/request";
const PAGE_SIZE = 10;
const FORMATS = [
  {
    prefix: "oai_dc",
    schema: "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    ns: "http://www.openarchives.org/OAI/2.0/oai_dc/",
  },
  {
    prefix: "qdc",
    schema: "http://dublincore.org/schemas/xmls/qdc/2006/01/06/dcterms.xsd",
    ns: "http://dspace.org/qualifieddc/",
  },
];
const ALLOWED: Record<string, { required: string[]; optional: string[] }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ["identifier"] },
  ListSets: { required: [], optional: [] },
  ListIdentifiers: { required: ["metadataPrefix"], optional: ["from", "until", "set"] },
  ListRecords: { required: ["metadataPrefix"], optional: ["from", "until", "set"] },
  GetRecord: { required: ["identifier", "metadataPrefix"], optional: [] },
};

class OaiFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Harvests that were already answered 503 once (by the harvest id in their tokens). */
const throttled = new WeakMap<SandboxEnv, Set<string>>();

async function handle(ctx: RequestContext, env: SandboxEnv): Promise<Reply> {
  const args = await argumentsOf(ctx);
  const now = new Date(env.state.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const base = `http://${ctx.headers.host ?? "127.0.0.1"}${OAI_PATH}`;
  const verb = args.get("verb") ?? "";
  try {
    const plain = checkArguments(args);
    const token = plain.resumptionToken ? parseToken(plain.resumptionToken) : undefined;
    if (token && env.oaiRetryAfter !== undefined) {
      const seen = throttled.get(env) ?? new Set<string>();
      throttled.set(env, seen);
      if (!seen.has(token.harvest)) {
        seen.add(token.harvest);
        return {
          status: 503,
          headers: { "retry-after": String(env.oaiRetryAfter), "content-type": "text/plain" },
          body: "busy: retry later",
        };
      }
    }
    const body = answer(verb, plain, token, base);
    return xml(200, envelope(now, requestElement(base, plain), body), "text/xml;charset=UTF-8");
  } catch (err) {
    if (!(err instanceof OaiFault)) throw err;
    const req = requestElement(base, ALLOWED[verb] && err.code !== "badArgument" ? { verb } : {});
    return xml(
      200,
      envelope(now, req, `<error code="${err.code}">${escapeText(err.message)}</error>`),
      "text/xml;charset=UTF-8",
    );
  }
}

async function argumentsOf(ctx: RequestContext): Promise<URLSearchParams> {
  if (ctx.method !== "POST") return ctx.query;
  return new URLSearchParams((await ctx.body()).toString("utf8"));
}

function checkArguments(args: URLSearchParams): Record<string, string> {
  const verb = args.get("verb");
  if (args.getAll("verb").length !== 1 || !verb || !ALLOWED[verb])
    throw new OaiFault("badVerb", `Illegal OAI verb: ${verb ?? "(none)"}`);
  const out: Record<string, string> = {};
  for (const [k, v] of args) {
    if (k in out) throw new OaiFault("badArgument", `Argument ${k} is repeated`);
    out[k] = v;
  }
  const { required, optional } = ALLOWED[verb];
  if (
    out.resumptionToken !== undefined &&
    (verb === "ListRecords" || verb === "ListIdentifiers" || verb === "ListSets")
  ) {
    if (Object.keys(out).length !== 2)
      throw new OaiFault("badArgument", "resumptionToken is an exclusive argument");
    return out;
  }
  for (const k of Object.keys(out)) {
    if (k !== "verb" && !required.includes(k) && !optional.includes(k))
      throw new OaiFault("badArgument", `Illegal argument: ${k}`);
  }
  for (const k of required) if (!out[k]) throw new OaiFault("badArgument", `Missing argument: ${k}`);
  for (const k of ["from", "until"]) {
    if (out[k] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(out[k])) {
      throw new OaiFault("badArgument", `${k} must be YYYY-MM-DD (this repository's granularity)`);
    }
  }
  if (out.from && out.until && out.from > out.until) throw new OaiFault("badArgument", "from is after until");
  return out;
}

interface Token {
  readonly prefix: string;
  readonly set: string;
  readonly from: string;
  readonly until: string;
  readonly offset: number;
  readonly harvest: string;
  readonly verb: string;
}

function makeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function parseToken(value: string): Token {
  try {
    const t = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Token;
    if (typeof t.offset === "number" && typeof t.prefix === "string" && typeof t.harvest === "string")
      return t;
  } catch {
    // falls through to badResumptionToken
  }
  throw new OaiFault("badResumptionToken", "The resumptionToken is invalid or has expired");
}

function answer(verb: string, args: Record<string, string>, token: Token | undefined, base: string): string {
  switch (verb) {
    case "Identify":
      return `<Identify><repositoryName>${REPOSITORY_NAME}</repositoryName><baseURL>${escapeText(base)}</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>repository@example.edu</adminEmail><earliestDatestamp>${EARLIEST}</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DD</granularity></Identify>`;
    case "ListMetadataFormats": {
      if (args.identifier !== undefined) byIdentifier(args.identifier);
      const f = FORMATS.map(
        (m) =>
          `<metadataFormat><metadataPrefix>${m.prefix}</metadataPrefix><schema>${m.schema}</schema><metadataNamespace>${m.ns}</metadataNamespace></metadataFormat>`,
      );
      return `<ListMetadataFormats>${f.join("")}</ListMetadataFormats>`;
    }
    case "ListSets":
      if (token) throw new OaiFault("badResumptionToken", "ListSets is answered in one page");
      return `<ListSets>${SETS.map((s) => `<set><setSpec>${s.setSpec}</setSpec><setName>${escapeText(s.setName)}</setName></set>`).join("")}</ListSets>`;
    case "GetRecord": {
      checkFormat(args.metadataPrefix);
      return `<GetRecord>${record(byIdentifier(args.identifier), args.metadataPrefix)}</GetRecord>`;
    }
    default:
      return list(verb, args, token);
  }
}

function list(verb: string, args: Record<string, string>, token: Token | undefined): string {
  if (token && token.verb !== verb)
    throw new OaiFault("badResumptionToken", "The resumptionToken belongs to another verb");
  const t: Token = token ?? {
    verb,
    prefix: args.metadataPrefix,
    set: args.set ?? "",
    from: args.from ?? "",
    until: args.until ?? "",
    offset: 0,
    harvest: Math.random().toString(36).slice(2),
  };
  checkFormat(t.prefix);
  if (t.set && !SETS.some((s) => s.setSpec === t.set))
    throw new OaiFault("noRecordsMatch", `No set ${t.set}`);
  const matching = THESES.filter(
    (r) =>
      (!t.set || r.set === t.set) &&
      (!t.from || r.datestamp >= t.from) &&
      (!t.until || r.datestamp <= t.until),
  );
  if (matching.length === 0) throw new OaiFault("noRecordsMatch", "No records match the request");
  if (t.offset >= matching.length)
    throw new OaiFault("badResumptionToken", "The resumptionToken is past the end of the list");
  const page = matching.slice(t.offset, t.offset + PAGE_SIZE);
  const next = t.offset + PAGE_SIZE;
  const items = page.map((r) => (verb === "ListIdentifiers" ? header(r) : record(r, t.prefix))).join("");
  const more = next < matching.length;
  const tokenEl = `<resumptionToken completeListSize="${matching.length}" cursor="${t.offset}">${more ? makeToken({ ...t, offset: next }) : ""}</resumptionToken>`;
  // A list that fits in one page has no token at all; the last page of a longer one has an empty token.
  return `<${verb}>${items}${t.offset === 0 && !more ? "" : tokenEl}</${verb}>`;
}

function checkFormat(prefix: string): void {
  if (!FORMATS.some((f) => f.prefix === prefix))
    throw new OaiFault("cannotDisseminateFormat", `Format ${prefix} is not served`);
}

function byIdentifier(identifier: string): SampleThesis {
  const r = THESES.find((t) => t.identifier === identifier);
  if (!r) throw new OaiFault("idDoesNotExist", `No item ${identifier}`);
  return r;
}

function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export const oaiRoutes: Route[] = ["GET", "POST"].map((method) => ({
  method,
  pattern: OAI_PATH,
  style: "v2" as const,
  handle: ({ ctx, env }) => handle(ctx, env),
}));

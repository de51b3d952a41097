/**
 * One OAI-PMH request: GET base URL + verb and arguments, 503 + Retry-After honoured, network failures and
 * 5xx retried with the same arguments (a resumption token may be asked again: the protocol says that is
 * safe), then the body parsed and its `<error>`s turned into OaiProtocolError (noRecordsMatch excepted:
 * the caller sees an empty list).
 *
 * ```ts
 * const oai = createOaiClient({ baseUrl: "https://repo.example.edu/server/oai/request" });
 * const root = await oai.request("Identify"); // the <OAI-PMH> element
 * ```
 */
import { createXmlTextDecoder } from "../marc/xml/decode.js";
import { OaiError, OaiHttpError, OaiProtocolError } from "./errors.js";
import { childrenNamed, parseXml, textOf, type XmlNode } from "./xml-tree.js";

export const OAI_NS = "http://www.openarchives.org/OAI/2.0/";

export interface OaiClientOptions {
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Waits ms (rejects on abort); tests pass a fake clock. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Attempts per request before it fails (default 5). */
  readonly maxAttempts?: number;
  /** The longest Retry-After honoured, in seconds (default 3600); longer ones fail the request. */
  readonly maxRetryAfterSeconds?: number;
  /** Per-request timeout in ms (default 120 s). */
  readonly timeoutMs?: number;
  /** Largest body accepted, in bytes (default 64 MiB): one page is held in memory. */
  readonly maxBodyBytes?: number;
  /** A line for the log on every retry. */
  readonly onRetry?: (message: string) => void;
}

export interface OaiResponse {
  readonly root: XmlNode;
  readonly responseDate: string;
  /** True when the repository answered noRecordsMatch. */
  readonly empty: boolean;
}

export interface OaiClient {
  readonly baseUrl: string;
  request(
    verb: string,
    args?: Readonly<Record<string, string | undefined>>,
    signal?: AbortSignal,
  ): Promise<OaiResponse>;
}

export function createOaiClient(o: OaiClientOptions): OaiClient {
  let base: URL;
  try {
    base = new URL(o.baseUrl);
  } catch {
    throw new OaiError(`not a URL: ${JSON.stringify(o.baseUrl)}`, "BAD_ENDPOINT");
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new OaiError(`the endpoint must be http(s): ${o.baseUrl}`, "BAD_ENDPOINT");
  }
  const sleep = o.sleep ?? defaultSleep;
  const maxAttempts = o.maxAttempts ?? 5;
  return {
    baseUrl: base.href,
    async request(verb, args = {}, signal) {
      const url = new URL(base.href);
      url.searchParams.set("verb", verb);
      for (const [k, v] of Object.entries(args)) if (v !== undefined) url.searchParams.set(k, v);
      const what = describe(verb, args);
      for (let attempt = 1; ; attempt++) {
        let retry: RetryLater;
        try {
          return await once(o, url, what, attempt, signal);
        } catch (err) {
          if (!(err instanceof RetryLater)) throw err;
          retry = err;
        }
        if (attempt >= maxAttempts) throw retry.final(what, maxAttempts);
        o.onRetry?.(
          `${what}: ${retry.reason}; attempt ${attempt + 1} of ${maxAttempts} in ${retry.ms / 1000}s`,
        );
        await sleep(retry.ms, signal);
      }
    },
  };
}

/** One attempt: the parsed answer, or RetryLater for what another attempt may cure. */
async function once(
  o: OaiClientOptions,
  url: URL,
  what: string,
  attempt: number,
  signal: AbortSignal | undefined,
): Promise<OaiResponse> {
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 120_000);
  const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, { headers: { accept: "text/xml, application/xml" }, signal: both });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new RetryLater(backoff(attempt), `no answer (${messageOf(err)})`, undefined);
  }
  if (res.status === 503 || res.status === 429) {
    await res.body?.cancel();
    const seconds = retryAfterSeconds(res.headers.get("retry-after"));
    const max = o.maxRetryAfterSeconds ?? 3600;
    if (seconds > max) {
      throw new OaiHttpError(
        res.status,
        `${what}: HTTP ${res.status}, Retry-After ${seconds}s is longer than ${max}s`,
      );
    }
    throw new RetryLater(seconds * 1000, `HTTP ${res.status}, Retry-After ${seconds}s`, res.status);
  }
  if (res.status >= 500) {
    await res.body?.cancel();
    throw new RetryLater(backoff(attempt), `HTTP ${res.status}`, res.status);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new OaiHttpError(res.status, `${what}: HTTP ${res.status} from ${url.origin}${url.pathname}`);
  }
  const body = await readBody(res, o.maxBodyBytes ?? 64 * 1024 * 1024, what);
  return interpret(parseXml(body, `the answer to ${what}`), what);
}

/** A failure worth another try: how long to wait and why. */
class RetryLater extends Error {
  constructor(
    readonly ms: number,
    readonly reason: string,
    readonly status: number | undefined,
  ) {
    super(reason);
  }
  final(what: string, attempts: number): OaiHttpError {
    return new OaiHttpError(this.status, `${what}: ${this.reason}; gave up after ${attempts} attempts`);
  }
}

function interpret(root: XmlNode, what: string): OaiResponse {
  if (root.name !== "OAI-PMH")
    throw new OaiError(`the answer to ${what} is not OAI-PMH (root <${root.name}>)`);
  const responseDate = textOf(childrenNamed(root, "responseDate")[0]);
  const errors = childrenNamed(root, "error");
  if (errors.length > 0) {
    const codes = errors.map((e) => e.attrs.code ?? "unknown");
    if (codes.every((c) => c === "noRecordsMatch")) return { root, responseDate, empty: true };
    const first = errors.find((e) => e.attrs.code !== "noRecordsMatch") ?? errors[0];
    throw new OaiProtocolError(first.attrs.code ?? "unknown", textOf(first), what);
  }
  return { root, responseDate, empty: false };
}

/** `ListRecords metadataPrefix=oai_dc set=col_1 from=2026-01-01` (a token is shown cut short). */
export function describe(verb: string, args: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${k === "resumptionToken" && v!.length > 200 ? `${v!.slice(0, 200)}...` : v}`);
  return [verb, ...parts].join(" ");
}

async function readBody(res: Response, max: number, what: string): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > max) {
    await res.body?.cancel();
    throw new OaiError(
      `${what}: the answer is ${declared} bytes, more than the ${max} accepted for one page`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > max)
        throw new OaiError(`${what}: the answer is more than the ${max} bytes accepted for one page`);
      chunks.push(chunk);
    }
  }
  const bytes = Buffer.concat(chunks);
  const decoder = createXmlTextDecoder(bytes.subarray(0, 256));
  return decoder.decode(bytes.subarray(decoder.bomLength), true);
}

function retryAfterSeconds(value: string | null): number {
  if (!value) return 5;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? 5 : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function backoff(attempt: number): number {
  return Math.min(60_000, 2000 * 2 ** (attempt - 1));
}

function messageOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return err instanceof Error ? `${err.message}${cause}` : String(err);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

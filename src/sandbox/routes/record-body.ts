/** MARC bodies in and out: content types as each API names them, one record per request. */
import { encodeIso2709, MarcWriteError } from "../../marc/iso2709-writer.js";
import { parseMarcXmlString, recordElement, recordToMarcXml } from "../../marc/marcxml-string.js";
import type { MarcRecord } from "../../marc/record.js";
import { MARC21_SLIM_NS } from "../../marc/xml/namespaces.js";
import { decodeIso2709Buffer } from "../domain/iso2709-buffer.js";
import { BadRequestError, NotAcceptableError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import type { Reply } from "../http/reply.js";
import { decodeXmlBody } from "./xml-charset.js";

export const MARCXML = "application/marcxml+xml";
export const MARC21 = "application/marc";
export const V1_MARCXML = "application/vnd.oclc.marc21+xml";

const V1_TYPES = [V1_MARCXML, MARCXML, "application/xml", "text/xml"];

function mediaType(value: string | undefined): string {
  return (value ?? "").split(";")[0].trim().toLowerCase();
}

/** The one record of the request body; 406 on a content type the API does not take, 400 on a bad body. */
export async function readRecord(ctx: RequestContext, api: "v2" | "v1"): Promise<MarcRecord> {
  const type = mediaType(ctx.headers["content-type"]);
  const xmlOk = api === "v2" ? type === MARCXML : V1_TYPES.includes(type);
  // The type is judged before the body is read: a body of the wrong type gets its 406 whatever its size.
  if (!xmlOk && !(api === "v2" && type === MARC21))
    throw new NotAcceptableError(
      `Content-Type '${type || "(none)"}' is not supported; use ${api === "v2" ? `${MARCXML} or ${MARC21}` : V1_MARCXML}`,
    );
  const body = await ctx.body();
  let records: MarcRecord[];
  try {
    records =
      type === MARC21
        ? await decodeIso2709Buffer(body, true)
        : parseMarcXmlString(decodeXmlBody(body, ctx.headers["content-type"]));
  } catch (err) {
    throw new BadRequestError(
      `Unable to parse the record: ${(err as Error).message}`,
      "BAD_REQUEST",
      "Bad Request",
    );
  }
  if (records.length !== 1)
    throw new BadRequestError(
      `The body must hold exactly one record; found ${records.length}`,
      "BAD_REQUEST",
      "Bad Request",
    );
  return records[0];
}

/** `Accept` as (media type, q) pairs, e.g. `application/marc, application/marcxml+xml;q=0.5`. */
function acceptList(accept: string): { type: string; q: number }[] {
  return accept.split(",").flatMap((part) => {
    const [type, ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    if (type === "") return [];
    const qp = params.find((p) => /^q\s*=/.test(p));
    const q = qp === undefined ? 1 : Number(qp.replace(/^q\s*=\s*/, ""));
    return [{ type, q: Number.isFinite(q) ? q : 0 }];
  });
}

/** The q a record format gets: its own entry, else application/(any), else any type (the most specific wins). */
function qualityOf(list: { type: string; q: number }[], format: string): number {
  const own = list.find((e) => e.type === format);
  if (own) return own.q;
  if (format === MARCXML) {
    // Any other XML type (application/xml, text/xml) is answered with MARCXML, as before.
    const xmlish = list.filter((e) => e.type.includes("xml"));
    if (xmlish.length > 0) return Math.max(...xmlish.map((e) => e.q));
  }
  return (list.find((e) => e.type === "application/*") ?? list.find((e) => e.type === "*/*"))?.q ?? 0;
}

/**
 * Which record format a 2.0 client wants back: the better of the two by `Accept` (q-values honoured; MARCXML
 * on a tie), the request's own format when there is no `Accept`, 406 when `Accept` allows neither.
 */
export function v2Format(ctx: RequestContext): typeof MARCXML | typeof MARC21 {
  const accept = ctx.headers.accept ?? "";
  if (accept.trim() === "") return mediaType(ctx.headers["content-type"]) === MARC21 ? MARC21 : MARCXML;
  const list = acceptList(accept);
  const xml = qualityOf(list, MARCXML);
  const marc = qualityOf(list, MARC21);
  if (xml <= 0 && marc <= 0)
    throw new NotAcceptableError(`Accept '${accept}' is not supported; use ${MARCXML} or ${MARC21}`);
  return marc > xml ? MARC21 : MARCXML;
}

export function v2Record(status: number, record: MarcRecord, format: string): Reply {
  if (format === MARC21) {
    try {
      return { status, headers: { "content-type": MARC21 }, body: encodeIso2709(record) };
    } catch (err) {
      // Only a record loaded from a seed file can be past ISO 2709's limits (sent ones are refused).
      if (!(err instanceof MarcWriteError)) throw err;
      throw new NotAcceptableError(
        `The record cannot be given as ${MARC21} (${err.reason}); ask for ${MARCXML}`,
      );
    }
  }
  return {
    status,
    headers: { "content-type": `${MARCXML};charset=UTF-8` },
    body: `${recordToMarcXml(record, { declaration: true, indent: true })}\n`,
  };
}

/** The first API's Atom entry around a record, with `<id>` and `<link>` to it. */
export function v1Entry(status: number, record: MarcRecord, idUrl: string): Reply {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<entry xmlns="http://www.w3.org/2005/Atom">\n` +
    `  <content type="application/xml">\n` +
    `    <response xmlns="http://worldcat.org/rb" mimeType="${V1_MARCXML}">\n` +
    `${recordElement(record, ` xmlns="${MARC21_SLIM_NS}"`, "\n", "  ", undefined, "      ")}\n    </response>\n  </content>\n` +
    `  <id>${idUrl}</id>\n  <link href="${idUrl}"></link>\n</entry>\n`;
  return { status, headers: { "content-type": "application/atom+xml;charset=UTF-8" }, body };
}

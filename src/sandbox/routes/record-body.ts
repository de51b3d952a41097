/** MARC bodies in and out: content types as each API names them, one record per request. */
import { encodeIso2709 } from "../../marc/iso2709-writer.js";
import { parseMarcXmlString, recordElement, recordToMarcXml } from "../../marc/marcxml-string.js";
import type { MarcRecord } from "../../marc/record.js";
import { MARC21_SLIM_NS } from "../../marc/xml/namespaces.js";
import { decodeIso2709Buffer } from "../domain/iso2709-buffer.js";
import { BadRequestError, NotAcceptableError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import type { Reply } from "../http/reply.js";

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
  const body = await ctx.body();
  const xmlOk = api === "v2" ? type === MARCXML : V1_TYPES.includes(type);
  if (!xmlOk && !(api === "v2" && type === MARC21))
    throw new NotAcceptableError(
      `Content-Type '${type || "(none)"}' is not supported; use ${api === "v2" ? `${MARCXML} or ${MARC21}` : V1_MARCXML}`,
    );
  let records: MarcRecord[];
  try {
    records =
      type === MARC21 ? await decodeIso2709Buffer(body, true) : parseMarcXmlString(body.toString("utf8"));
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

/** Which record format a 2.0 client wants back: `Accept`, else the request's own format, else MARCXML. */
export function v2Format(ctx: RequestContext): typeof MARCXML | typeof MARC21 {
  const accept = (ctx.headers.accept ?? "").toLowerCase();
  if (accept.includes(MARC21) && !accept.includes(MARCXML)) return MARC21;
  if (accept.includes(MARCXML) || accept.includes("*/*") || accept.includes("application/*")) return MARCXML;
  if (accept.trim() === "") return mediaType(ctx.headers["content-type"]) === MARC21 ? MARC21 : MARCXML;
  if (accept.includes("xml")) return MARCXML;
  throw new NotAcceptableError(`Accept '${accept}' is not supported; use ${MARCXML} or ${MARC21}`);
}

export function v2Record(status: number, record: MarcRecord, format: string): Reply {
  if (format === MARC21) return { status, headers: { "content-type": MARC21 }, body: encodeIso2709(record) };
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

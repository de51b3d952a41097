/**
 * The text of an XML request body: in the encoding its byte-order mark, its Content-Type charset or its XML
 * declaration names (UTF-8 when none does), and never with bytes silently replaced. A Latin-1 body sent as
 * such keeps its "é"; a body that is not valid in its encoding is refused, not stored with U+FFFD in it.
 * The text returned declares UTF-8, ready for `parseMarcXmlString`.
 */
import { TextDecoder } from "node:util";
import { BadRequestError } from "../errors.js";

function charsetParam(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return m?.[1];
}

/** The encoding of the XML declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`), if any. */
function declaredEncoding(body: Buffer): string | undefined {
  const head = body.subarray(0, 200).toString("latin1");
  return /^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
}

function bomEncoding(body: Buffer): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return "utf-8";
  if (body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  if (body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  return undefined;
}

export function decodeXmlBody(body: Buffer, contentType: string | undefined): string {
  const label = bomEncoding(body) ?? charsetParam(contentType) ?? declaredEncoding(body) ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new BadRequestError(`Unsupported character encoding '${label}'`, "BAD_REQUEST", "Bad Request");
  }
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    const at = decoder.encoding === "utf-8" ? firstBadUtf8(body) : undefined;
    throw new BadRequestError(
      `The body is not valid ${decoder.encoding}${at === undefined ? "" : ` (first bad byte at offset ${at})`}`,
      "BAD_REQUEST",
      "Bad Request",
    );
  }
  // The text is handed on as UTF-8: a declaration naming another encoding would have it decoded twice.
  return text.replace(/^(<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2/, "$1$2UTF-8$2");
}

/** Offset of the first byte that breaks UTF-8 (a well-formed lead byte with its continuation bytes). */
function firstBadUtf8(body: Buffer): number | undefined {
  for (let i = 0; i < body.length; ) {
    const b = body[i];
    const n =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= body.length || (body[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return undefined;
}

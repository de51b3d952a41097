/**
 * OCLC-shaped error bodies: JSON for Metadata API 2.0 and the token servers, XML for the first API
 * (plain `<error>`, or an Atom `<entry>` with `<oclc:error>` on the record endpoints).
 */

import { escapeXml } from "../../marc/xml/escape.js";
import { RecordInvalidError, type SandboxApiError, type SandboxValidationError } from "../errors.js";

const escapeText = (s: string) => escapeXml(s, true);

import { json, type Reply, xml } from "./reply.js";

export type ErrorStyle = "v2" | "v1" | "v1-atom" | "token" | "legacy-token";

export const RESPONSE_NS = "http://worldcat.org/xmlschemas/response";

function wwwAuthenticate(err: SandboxApiError): Record<string, string> {
  if (err.status !== 401) return {};
  return {
    "www-authenticate": `WSKeyV2 error="invalid_token" error_description="${err.description.replace(/"/g, "'")}"`,
  };
}

/** Body of a failed validation in Metadata API 2.0 (validate endpoints, create and replace). */
export function v2ValidationBody(problems: readonly SandboxValidationError[]) {
  const errors = problems.filter((p) => p.severity === "error");
  const entry = (p: SandboxValidationError) => ({
    tag: p.tag ?? "",
    ...(p.occurrence !== undefined ? { occurrence: p.occurrence } : {}),
    ...(p.subfield !== undefined ? { subfield: p.subfield } : {}),
    errorLevel: p.severity === "error" ? "SEVERE" : "WARNING",
    code: p.code,
    message: p.message,
  });
  const fixed = (p: SandboxValidationError) => p.tag === undefined || p.tag < "010";
  return {
    httpStatus: "BAD_REQUEST",
    status: { summary: "INVALID", description: "The provided Bib is invalid" },
    errorCount: errors.length,
    errors: errors.map((p) => p.message),
    fixedFieldErrors: problems.filter(fixed).map(entry),
    variableFieldErrors: problems.filter((p) => !fixed(p)).map(entry),
  };
}

function v2(err: SandboxApiError): Reply {
  const h = wwwAuthenticate(err);
  if (err instanceof RecordInvalidError) return json(400, v2ValidationBody(err.problems));
  if (err.status === 401) return json(401, { message: "Unauthorized" }, h);
  if (err.status === 400)
    return json(400, {
      type: err.oclcCode,
      title: err.title,
      detail: err.description,
      "invalid-params": [{ reason: err.description }],
    });
  // The live 406 carries its detail as a plain string, like the 400s.
  if (err.status === 406) return json(406, { type: err.oclcCode, title: err.title, detail: err.description });
  return json(
    err.status,
    { type: err.oclcCode, title: err.title, detail: { summary: err.oclcCode, description: err.description } },
    h,
  );
}

function v1Code(err: SandboxApiError): string {
  return err.oclcCode.includes("-")
    ? `<code type="application">${escapeText(err.oclcCode)}</code>`
    : `<code type="http">${err.status}</code>`;
}

function v1Detail(err: SandboxApiError): string {
  if (!(err instanceof RecordInvalidError)) return "";
  const items = err.problems.map(
    (p) =>
      `<validationError type="${p.tag === undefined || p.tag < "010" ? "fixed field" : "variable field"}">` +
      `<field name="${escapeText(p.tag ?? "")}" occurrence="${p.occurrence ?? 1}"/>` +
      `<message>${escapeText(p.message)}</message></validationError>`,
  );
  return `<detail><validationErrors>${items.join("")}</validationErrors></detail>`;
}

function v1(err: SandboxApiError): Reply {
  const code =
    err instanceof RecordInvalidError ? `<code type="application">CAT-VALIDATION</code>` : v1Code(err);
  const body =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<error xmlns="${RESPONSE_NS}">${code}` +
    `<message>${escapeText(err.description)}</message>${v1Detail(err)}</error>`;
  return {
    ...xml(err.status, body),
    headers: { "content-type": "application/xml;charset=UTF-8", ...wwwAuthenticate(err) },
  };
}

function v1Atom(err: SandboxApiError): Reply {
  const code = (
    err instanceof RecordInvalidError ? `<code type="application">CAT-VALIDATION</code>` : v1Code(err)
  ).replace(/<(\/?)code/g, "<$1oclc:code");
  const detail = v1Detail(err).replace(/<(\/?)(\w)/g, "<$1oclc:$2");
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<entry xmlns="http://www.w3.org/2005/Atom" xmlns:oclc="${RESPONSE_NS}">` +
    `<content type="application/xml"><oclc:error>${code}<oclc:message>${escapeText(err.description)}</oclc:message>` +
    `${detail}</oclc:error></content></entry>`;
  return {
    ...xml(err.status, body, "application/atom+xml;charset=UTF-8"),
    headers: { "content-type": "application/atom+xml;charset=UTF-8", ...wwwAuthenticate(err) },
  };
}

function token(err: SandboxApiError): Reply {
  return json(err.status, { code: err.status, message: err.description }, wwwAuthenticate(err));
}

function legacyToken(err: SandboxApiError): Reply {
  const message = err.status === 403 ? "unauthorized_client" : err.description;
  return json(
    err.status,
    { error: { errorMessage: message, errorCode: err.status, detail: err.description } },
    wwwAuthenticate(err),
  );
}

const RENDER: Record<ErrorStyle, (err: SandboxApiError) => Reply> = {
  v2,
  v1,
  "v1-atom": v1Atom,
  token,
  "legacy-token": legacyToken,
};

export function renderError(style: ErrorStyle, err: SandboxApiError): Reply {
  return RENDER[style](err);
}

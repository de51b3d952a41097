/** The demo repository's records in oai_dc and qdc (as DSpace 7 serves them), and OAI-PMH envelopes. */
import { escapeXml } from "../../marc/xml/escape.js";
import { GRANTOR, type SampleThesis } from "./theses.js";

const x = (s: string) => escapeXml(s, false);
const a = (s: string) => escapeXml(s, true);

export function envelope(responseDate: string, request: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>${responseDate}</responseDate>
${request}
${body}
</OAI-PMH>
`;
}

/** `<request verb=... >baseURL</request>`; an error answer carries no arguments but the verb when valid. */
export function requestElement(baseUrl: string, args: Readonly<Record<string, string>>): string {
  const attrs = Object.entries(args)
    .map(([k, v]) => ` ${k}="${a(v)}"`)
    .join("");
  return `<request${attrs}>${x(baseUrl)}</request>`;
}

export function header(t: SampleThesis): string {
  return `<header${t.deleted ? ' status="deleted"' : ""}><identifier>${x(t.identifier)}</identifier><datestamp>${t.datestamp}</datestamp><setSpec>${t.set}</setSpec></header>`;
}

export function record(t: SampleThesis, prefix: string): string {
  if (t.deleted) return `<record>${header(t)}</record>`;
  return `<record>${header(t)}<metadata>${prefix === "qdc" ? qdc(t) : oaiDc(t)}</metadata></record>`;
}

function oaiDc(t: SampleThesis): string {
  const el = (name: string, v: string) => `<dc:${name}>${x(v)}</dc:${name}>`;
  return [
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">',
    el("title", t.title),
    el("creator", t.author),
    el("contributor", t.advisor),
    ...t.subjects.map((s) => el("subject", s)),
    el("description", t.abstract),
    el("date", `${t.datestamp}T09:00:00Z`),
    el("date", t.issued),
    el("type", "Thesis"),
    el("identifier", t.handle),
    el("language", t.language),
    el("publisher", GRANTOR),
    "</oai_dc:dc>",
  ].join("");
}

function qdc(t: SampleThesis): string {
  const dc = (name: string, v: string) => `<dc:${name}>${x(v)}</dc:${name}>`;
  const terms = (name: string, v: string) => `<dcterms:${name}>${x(v)}</dcterms:${name}>`;
  return [
    '<qdc:qualifieddc xmlns:qdc="http://dspace.org/qualifieddc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    dc("title", t.title),
    dc("creator", t.author),
    dc("contributor", t.advisor),
    ...t.subjects.map((s) => dc("subject", s)),
    terms("abstract", t.abstract),
    terms("available", `${t.datestamp}T09:00:00Z`),
    terms("issued", t.issued),
    terms("extent", `${t.pages} pages`),
    dc("type", "Thesis"),
    dc("identifier", t.handle),
    dc("language", t.language),
    dc("publisher", GRANTOR),
    dc("description", `Thesis (${t.degree})--${GRANTOR}, ${t.issued.slice(0, 4)}.`),
    "</qdc:qualifieddc>",
  ].join("");
}

/** The human-readable API page (`GET /api`), rendered from the OpenAPI document. */

const html = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  responses?: Record<string, { description: string }>;
  security?: unknown[];
}

export function apiPage(doc: {
  info: { title: string; description: string };
  paths: Record<string, Record<string, unknown>>;
}): string {
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(ops)) {
      const op = raw as Operation;
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<code>${html(p.name)}</code> (${p.in}${p.required ? ", required" : ""})${p.description ? `: ${html(p.description)}` : ""}`,
        )
        .join("<br>");
      const codes = Object.entries(op.responses ?? {})
        .map(([c, r]) => `<b>${c}</b> ${html(r.description)}`)
        .join("<br>");
      rows.push(
        `<tr><td><b>${method.toUpperCase()}</b></td><td><code>${html(path)}</code>${op.security?.length === 0 ? " <i>(public)</i>" : ""}</td><td>${html(op.summary ?? "")}${op.description ? `<br><small>${html(op.description)}</small>` : ""}</td><td>${params}</td><td>${codes}</td></tr>`,
      );
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(doc.info.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:90rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}code{white-space:nowrap}</style>
</head><body><h1>${html(doc.info.title)}</h1><p>${html(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>: <code>{type, title, status, detail, errors: [{parameter, message}]}</code>.</p>
<p>Permissions: <b>admin</b> everything; <b>operator</b> runs the scripts configured for operators and sees and manages own processes; <b>viewer</b> reads own processes. Another user's process answers 403 (a missing one 404).</p>
<table><tr><th>method</th><th>path</th><th>what</th><th>parameters</th><th>responses</th></tr>
${rows.join("\n")}
</table></body></html>`;
}

/**
 * Triggers (from the config file): webhooks with their URL and how to call them, and watched inbox folders.
 * GET /api/system/triggers; the server lists no past events of a trigger yet (their processes show
 * "trigger" as their starter).
 */
import { TableWrap } from "../components/TableWrap.tsx";
import { getJson, isMissingRoute } from "../lib/api.ts";
import { usePoll } from "../lib/hooks.ts";
import { Link } from "../lib/router.tsx";
import type { Page } from "../lib/types.ts";

interface Trigger {
  readonly name: string;
  readonly script: string;
  readonly kind: "webhook" | "folder";
  readonly auth: "hmac" | "token" | "none";
  readonly args: readonly string[];
  readonly payload: Record<string, string> | null;
  readonly idempotencyKey: string | null;
  readonly rateLimit: string | null;
  readonly folder: string | null;
  readonly _links: { self: { href: string } };
}

async function load(signal: AbortSignal): Promise<Trigger[] | null> {
  try {
    const body = await getJson<Page<"triggers", Trigger>>("/api/system/triggers?size=1000", signal);
    return body._embedded.triggers ?? [];
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
}

/** A curl line that calls the trigger, with a made-up payload from its mapping. */
function howToCall(t: Trigger): string {
  const body = JSON.stringify(Object.fromEntries(Object.keys(t.payload ?? {}).map((k) => [k, "..."])));
  const url = t._links.self.href;
  if (t.auth === "token")
    return `curl -X POST '${url}' -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' -d '${body}'`;
  return [
    `BODY='${body}'; T=$(date +%s)`,
    `SIG=$(printf '%s.%s' "$T" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/.* //')`,
    `curl -X POST '${url}' -H "X-Nightshift-Signature: t=$T,v1=$SIG" -H 'Content-Type: application/json' -d "$BODY"`,
  ].join("\n");
}

export function Triggers() {
  const { data, error } = usePoll((s) => load(s), null, []);
  return (
    <>
      <h1>Triggers</h1>
      {error && <p className="error">{error.message}</p>}
      {data === undefined && !error && <p className="muted">Loading…</p>}
      {data === null && <p className="muted">This server has no triggers.</p>}
      {data?.length === 0 && (
        <p className="muted">No triggers: they are defined in the config file (`triggers:`).</p>
      )}
      {data?.map((t) => (
        <section key={t.name} className="card trigger" aria-labelledby={`trigger-${t.name}`}>
          <h2 id={`trigger-${t.name}`}>{t.name}</h2>
          <dl className="facts">
            <dt>Kind</dt>
            <dd>{t.kind === "folder" ? "inbox folder" : "webhook"}</dd>
            <dt>Script</dt>
            <dd>{t.script}</dd>
            {t.kind === "webhook" ? (
              <>
                <dt>URL</dt>
                <dd>
                  <code>{t._links.self.href}</code>
                </dd>
                <dt>Authentication</dt>
                <dd>
                  {t.auth === "hmac"
                    ? "HMAC-SHA256 signature (X-Nightshift-Signature)"
                    : "a user's API token"}
                </dd>
              </>
            ) : (
              <>
                <dt>Folder</dt>
                <dd>
                  <code>{t.folder}</code>
                </dd>
              </>
            )}
            <dt>Parameters</dt>
            <dd>
              <code>{t.args.join(" ") || "–"}</code>
            </dd>
            {t.payload && (
              <>
                <dt>From the payload</dt>
                <dd>
                  {Object.entries(t.payload).map(([k, v]) => (
                    <div key={k}>
                      <code>{k}</code> → <code>{v}</code>
                    </div>
                  ))}
                </dd>
              </>
            )}
            <dt>Rate limit</dt>
            <dd>{t.rateLimit ?? "none"}</dd>
            {t.idempotencyKey && (
              <>
                <dt>Repeated events</dt>
                <dd>
                  recognised by <code>{t.idempotencyKey}</code>
                </dd>
              </>
            )}
          </dl>
          {t.kind === "webhook" && (
            <>
              <h3>How to call it</h3>
              <TableWrap label={`How to call ${t.name}`}>
                <pre className="code">{howToCall(t)}</pre>
              </TableWrap>
            </>
          )}
          <p>
            <Link to={`/processes?script=${encodeURIComponent(t.script)}`}>Processes of {t.script}</Link>
          </p>
        </section>
      ))}
    </>
  );
}

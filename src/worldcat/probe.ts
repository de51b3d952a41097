/**
 * The permission probe behind `nightshift worldcat check`: gets a token, then calls one harmless endpoint
 * per operation (reads, validations, and writes aimed at a number that cannot exist) and reports which
 * operations the account can actually perform. Nothing is ever created or changed. The last two probe the
 * retired Metadata API 1.0 (OCLC retired it on 30 April 2024; a refusal there is expected).
 */
import { controlField, createRecord, dataField } from "../marc/record.js";
import type { AccessToken } from "./auth/tokens.js";
import type { WorldCatClient } from "./client.js";
import { WorldCatError } from "./errors.js";

export type ProbeVerdict = "yes" | "no" | "unknown";

export interface ProbeResult {
  readonly operation: string;
  readonly verdict: ProbeVerdict;
  /** What was called and what came back, or why it was not called. */
  readonly evidence: string;
}

export interface ProbeReport {
  readonly account: string;
  readonly sandbox: boolean;
  /** The institution acted for (`context:` of the account), when not its own. */
  readonly context?: string;
  readonly token?: {
    readonly scopes: readonly string[];
    readonly principalID?: string;
    readonly expiresAt: string;
  };
  readonly tokenError?: string;
  readonly results: readonly ProbeResult[];
}

/** A number far beyond any real OCLC number: writes aimed at it are refused as 404, never applied. */
const NO_SUCH_OCN = "999999999999";

const probeRecord = createRecord({
  leader: "00000nam a2200000 a 4500",
  fields: [
    controlField("001", NO_SUCH_OCN),
    controlField("003", "OCoLC"),
    controlField("008", "260101s2026    xx            000 0 eng d"),
    dataField("245", "0", "0", [["a", "Nightshift permission probe"]]),
  ],
});

interface Operation {
  readonly operation: string;
  /** The part of the WorldCatMetadataAPI scope the operation needs (":" sub-scopes), when the token lists them. */
  readonly subScope: string;
  /** Statuses meaning "you may" although the call itself did not succeed (404 no such number, 400 invalid). */
  readonly permittedStatuses: readonly number[];
  readonly call?: (c: WorldCatClient) => Promise<unknown>;
  readonly what: string;
}

const OPERATIONS: readonly Operation[] = [
  {
    operation: "read bibs",
    subScope: "manage_bibs",
    permittedStatuses: [404],
    what: "GET /manage/bibs/{none}",
    call: (c) => c.bibs.read(NO_SUCH_OCN),
  },
  {
    operation: "check current numbers",
    subScope: "manage_bibs",
    permittedStatuses: [404],
    what: "GET /manage/bibs/current",
    call: (c) => c.bibs.current([NO_SUCH_OCN]),
  },
  {
    operation: "validate bibs",
    subScope: "manage_bibs",
    permittedStatuses: [],
    what: "POST /manage/bibs/validate/validateFull",
    call: (c) => c.bibs.validate(probeRecord),
  },
  {
    operation: "create bibs",
    subScope: "manage_bibs",
    permittedStatuses: [],
    what: "POST /manage/bibs/validate/validateAdd (a create is never sent)",
    call: (c) => c.bibs.validate(probeRecord, "validateAdd"),
  },
  {
    operation: "replace bibs",
    subScope: "manage_bibs",
    permittedStatuses: [404, 409, 400],
    what: "PUT /manage/bibs/{none}",
    call: (c) => c.bibs.replace(probeRecord),
  },
  {
    operation: "match bibs",
    subScope: "manage_bibs",
    permittedStatuses: [400, 404],
    what: "POST /manage/bibs/match",
    call: (c) => c.bibs.match(probeRecord),
  },
  {
    operation: "read holdings",
    subScope: "manage_institution_holdings",
    permittedStatuses: [404],
    what: "GET /manage/institution/holdings/current",
    call: (c) => c.holdings.current([NO_SUCH_OCN]),
  },
  {
    operation: "set holdings",
    subScope: "manage_institution_holdings",
    permittedStatuses: [404],
    what: "POST /manage/institution/holdings/{none}/set",
    call: (c) => c.holdings.set(NO_SUCH_OCN),
  },
  {
    operation: "unset holdings",
    subScope: "manage_institution_holdings",
    permittedStatuses: [404, 409],
    what: "POST /manage/institution/holdings/{none}/unset",
    call: (c) => c.holdings.unset(NO_SUCH_OCN, { cascadeDelete: false }),
  },
  {
    operation: "list holding codes",
    subScope: "manage_institution_holdings",
    permittedStatuses: [],
    what: "GET /manage/institution/holding-codes",
    call: (c) => c.holdings.codes(),
  },
  {
    operation: "read local bib data",
    subScope: "manage_institution_lbds",
    permittedStatuses: [404],
    what: "GET /manage/lbds/{none}",
    call: (c) => c.lbds.read(NO_SUCH_OCN),
  },
  {
    operation: "search brief bibs",
    subScope: "view_brief_bibs",
    permittedStatuses: [404],
    what: "GET /search/brief-bibs?q=ti:probe",
    call: (c) => c.search.briefBibs({ q: "ti:probe", limit: 1 }),
  },
  {
    operation: "full record as JSON",
    subScope: "view_brief_bibs",
    permittedStatuses: [404],
    what: "GET /search/bibs/{none}",
    call: (c) => c.search.bib(NO_SUCH_OCN),
  },
  {
    operation: "other editions",
    subScope: "view_brief_bibs",
    permittedStatuses: [404],
    what: "GET /search/brief-bibs/{none}/other-editions",
    call: (c) => c.search.otherEditions(NO_SUCH_OCN),
  },
  {
    operation: "classification",
    subScope: "view_brief_bibs",
    permittedStatuses: [404],
    what: "GET /search/classification-bibs/{none}",
    call: (c) => c.search.classification(NO_SUCH_OCN),
  },
  {
    operation: "institution identifiers",
    subScope: "view_brief_bibs",
    permittedStatuses: [404],
    what: "GET /search/institution?oclcSymbols=OCLC",
    call: (c) => c.search.institutions({ oclcSymbols: [c.account.symbol ?? "OCLC"] }),
  },
  {
    operation: "move holdings",
    subScope: "manage_institution_holdings",
    permittedStatuses: [404, 409],
    what: "POST /manage/institution/holdings/move ({none} to {none})",
    call: (c) => c.holdings.move(NO_SUCH_OCN, "999999999998"),
  },
  {
    operation: "branch and shelving locations",
    subScope: "manage_institution_holdings",
    permittedStatuses: [],
    what: "GET /manage/institution-config/branch-shelving-locations",
    call: (c) => c.holdings.branchShelvingLocations(),
  },
  {
    operation: "search local bib data",
    subScope: "manage_institution_lbds",
    permittedStatuses: [404],
    what: "GET /search/my-local-bib-data?q=no:{none}",
    call: (c) => c.lbds.search({ q: `no:${NO_SUCH_OCN}`, limit: 1 }),
  },
  {
    operation: "read local holdings records",
    subScope: "manage_institution_lhrs",
    permittedStatuses: [404],
    what: "GET /manage/lhrs/{none}",
    call: (c) => c.lhrs.read(NO_SUCH_OCN),
  },
  {
    operation: "search my holdings",
    subScope: "manage_institution_lhrs",
    permittedStatuses: [404],
    what: "GET /search/my-holdings?oclcNumber={none}",
    call: (c) => c.lhrs.search({ oclcNumber: NO_SUCH_OCN, limit: 1 }),
  },
  {
    operation: "browse my holdings",
    subScope: "manage_institution_lhrs",
    permittedStatuses: [404],
    what: "GET /browse/my-holdings",
    call: (c) =>
      c.lhrs.browse({ callNumber: "A", holdingLocation: "MAIN", shelvingLocation: "Stacks", limit: 1 }),
  },
  {
    operation: "retained holdings",
    subScope: "manage_institution_lhrs",
    permittedStatuses: [404],
    what: "GET /search/retained-holdings?oclcNumber={none}",
    call: (c) => c.lhrs.retained({ oclcNumber: NO_SUCH_OCN, limit: 1 }),
  },
  {
    operation: "summary holdings",
    subScope: "view_summary_holdings",
    permittedStatuses: [404],
    what: "GET /search/summary-holdings?oclcNumber={none}",
    call: (c) => c.search.summaryHoldings({ oclcNumber: NO_SUCH_OCN }),
  },
  {
    operation: "shared-print holdings of a record",
    subScope: "view_summary_holdings",
    permittedStatuses: [404],
    what: "GET /search/bibs-retained-holdings?oclcNumber={none}",
    call: (c) => c.search.bibsRetainedHoldings({ oclcNumber: NO_SUCH_OCN }),
  },
  {
    operation: "retired Metadata API 1.0: read bibs",
    subScope: "manage_bibs",
    permittedStatuses: [404],
    what: "GET /bib/data/{none}",
    call: (c) => c.first.bibs.read(NO_SUCH_OCN),
  },
  {
    operation: "retired Metadata API 1.0: holding libraries",
    subScope: "manage_institution_holdings",
    permittedStatuses: [404],
    what: "GET /bib/holdinglibraries",
    call: (c) => c.first.holdings.libraries(),
  },
];

/** Whether the token (or, when it lists none, the configured scopes) covers the operation's sub-scope. */
function scopeAllows(token: AccessToken, configured: readonly string[], sub: string): boolean {
  const scopes = token.scopes.length > 0 ? token.scopes : configured;
  return scopes.some((s) => s === "WorldCatMetadataAPI" || s === `WorldCatMetadataAPI:${sub}`);
}

async function runOne(client: WorldCatClient, op: Operation): Promise<ProbeResult> {
  try {
    await op.call?.(client);
    return { operation: op.operation, verdict: "yes", evidence: `${op.what} -> OK` };
  } catch (err) {
    if (!(err instanceof WorldCatError))
      return {
        operation: op.operation,
        verdict: "unknown",
        evidence: `${op.what} -> ${(err as Error).message}`,
      };
    const code = err.oclcCode && err.oclcCode !== String(err.status) ? ` ${err.oclcCode}` : "";
    const answer = `${op.what} -> ${err.status ? `HTTP ${err.status}` : err.code}${code}`;
    if (err.status === 401 || err.status === 403)
      return { operation: op.operation, verdict: "no", evidence: `${answer}: ${err.detail}` };
    if (op.permittedStatuses.includes(err.status))
      return { operation: op.operation, verdict: "yes", evidence: `${answer} (permitted)` };
    return { operation: op.operation, verdict: "unknown", evidence: `${answer}: ${err.detail}` };
  }
}

/** Probes every operation (sequentially, gently) and reports. Never throws for a refusal. */
export async function probeAccount(client: WorldCatClient): Promise<ProbeReport> {
  const base = {
    account: client.account.name,
    sandbox: client.account.sandbox,
    ...(client.account.context ? { context: client.account.context } : {}),
  };
  let token: AccessToken;
  try {
    token = await client.token();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      ...base,
      tokenError: message,
      results: OPERATIONS.map((o) => ({ operation: o.operation, verdict: "no", evidence: "no token" })),
    };
  }
  const results: ProbeResult[] = [];
  // Every operation is really called: the server's answer, not the scope list, is the truth.
  for (const op of OPERATIONS) {
    const result = await runOne(client, op);
    const note = scopeAllows(token, client.account.scopes, op.subScope)
      ? ""
      : ` [token lacks WorldCatMetadataAPI:${op.subScope}]`;
    results.push({ ...result, evidence: result.evidence + note });
  }
  return {
    ...base,
    token: {
      scopes: token.scopes,
      principalID: token.principalID,
      expiresAt: new Date(token.expiresAt).toISOString(),
    },
    results,
  };
}

/** The report as a plain-text table. */
export function formatProbeReport(report: ProbeReport): string {
  const lines = [
    `Account: ${report.account}${report.sandbox ? " [SANDBOX]" : ""}${report.context ? ` (context ${report.context})` : ""}`,
  ];
  if (report.tokenError) lines.push(`Token:   FAILED ${report.tokenError}`);
  else if (report.token)
    lines.push(
      `Token:   ok (scopes: ${report.token.scopes.join(" ") || "(not listed)"}${report.token.principalID ? `; principal ${report.token.principalID}` : ""}; expires ${report.token.expiresAt})`,
    );
  const width = Math.max(9, ...report.results.map((r) => r.operation.length));
  lines.push("", `${"OPERATION".padEnd(width)}  CAN  EVIDENCE`);
  for (const r of report.results)
    lines.push(`${r.operation.padEnd(width)}  ${r.verdict.padEnd(3)}  ${r.evidence}`);
  return `${lines.join("\n")}\n`;
}

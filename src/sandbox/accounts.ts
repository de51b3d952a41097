/**
 * Sandbox service accounts: the keys the sandbox knows, what each may do and for which institution.
 * Loaded from a JSON file (`--accounts FILE`) or generated as demo accounts.
 */
import { readFileSync } from "node:fs";
import type { Rng } from "./rng.js";

export interface HoldingCode {
  readonly code: string;
  readonly name: string;
  /** Shelving locations of this branch (branch-shelving-locations). */
  readonly shelvingLocations?: readonly string[];
}

export interface SandboxAccount {
  readonly key: string;
  readonly secret: string;
  readonly registryId: string;
  readonly symbol: string;
  readonly principalID: string;
  readonly principalIDNS: string;
  /** e.g. `WorldCatMetadataAPI` (everything) or `WorldCatMetadataAPI:manage_bibs`. */
  readonly scopes: readonly string[];
  readonly holdingCodes: readonly HoldingCode[];
  /** Registry ids of other institutions this key may act for (`context:<id>` in the token scope). */
  readonly contexts: readonly string[];
  /** Where the institution is (ISO 3166 country and subdivision), for summary holdings by place. */
  readonly country: string;
  readonly state: string;
}

export class AccountsFileError extends Error {}

const REQUIRED = ["key", "secret", "registryId", "symbol"] as const;

/** Reads and checks an accounts file; errors name the file, the entry and the field. */
export function loadAccounts(file: string): SandboxAccount[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new AccountsFileError(`${file}: cannot read accounts JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new AccountsFileError(`${file}: expected a JSON array of accounts`);
  return data.map((entry, i) => normaliseAccount(entry, `${file}: account ${i + 1}`));
}

/** Checks one account-shaped value; `where` prefixes error messages. */
export function normaliseAccount(entry: unknown, where: string): SandboxAccount {
  if (typeof entry !== "object" || entry === null) throw new AccountsFileError(`${where}: not an object`);
  const e = entry as Record<string, unknown>;
  for (const f of REQUIRED) {
    if (typeof e[f] !== "string" || e[f] === "")
      throw new AccountsFileError(`${where}: field "${f}" must be a non-empty string`);
  }
  const scopes = e.scopes ?? ["WorldCatMetadataAPI"];
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== "string"))
    throw new AccountsFileError(`${where}: field "scopes" must be an array of strings`);
  const codes = Array.isArray(e.holdingCodes) ? e.holdingCodes : ["MAIN"];
  const holdingCodes = codes.map((c, j) => {
    if (typeof c === "string") return { code: c, name: `${c} collection`, shelvingLocations: ["Stacks"] };
    if (c && typeof c === "object" && typeof (c as HoldingCode).code === "string") {
      const shelving = (c as HoldingCode).shelvingLocations;
      return {
        code: (c as HoldingCode).code,
        name: String((c as HoldingCode).name ?? (c as HoldingCode).code),
        shelvingLocations: Array.isArray(shelving) ? shelving.map(String) : ["Stacks"],
      };
    }
    throw new AccountsFileError(`${where}: holdingCodes[${j}] must be a string or {"code","name"}`);
  });
  return Object.freeze({
    key: e.key as string,
    secret: e.secret as string,
    registryId: e.registryId as string,
    symbol: e.symbol as string,
    principalID: typeof e.principalID === "string" ? e.principalID : "",
    principalIDNS: typeof e.principalIDNS === "string" ? e.principalIDNS : "",
    scopes: Object.freeze([...(scopes as string[])]),
    holdingCodes: Object.freeze(holdingCodes),
    contexts: Object.freeze(Array.isArray(e.contexts) ? e.contexts.map(String) : []),
    country: typeof e.country === "string" ? e.country : "US",
    state: typeof e.state === "string" ? e.state : "US-OH",
  });
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function token(rng: Rng, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += ALPHABET[rng.int(ALPHABET.length)];
  return s;
}

function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * Three demo institutions: a full-rights cataloguer, a holdings-only account and one with a read-only
 * scope, so permission checks have something to find.
 */
export function demoAccounts(rng: Rng): SandboxAccount[] {
  const mk = (
    registryId: string,
    symbol: string,
    scopes: string[],
    codes: HoldingCode[],
    more: Record<string, unknown> = {},
  ) =>
    normaliseAccount(
      {
        key: token(rng, 80),
        secret: `${token(rng, 22)}==`,
        registryId,
        symbol,
        principalID: uuid(rng),
        principalIDNS: "urn:oclc:wms:da",
        scopes,
        holdingCodes: codes,
        ...more,
      },
      "demo account",
    );
  return [
    mk(
      "128807",
      "OCPSB",
      ["WorldCatMetadataAPI"],
      [
        { code: "MAIN", name: "Main Library", shelvingLocations: ["Stacks", "Reference"] },
        { code: "OREA", name: "Oregon Annex", shelvingLocations: ["Annex Stacks"] },
      ],
      // a consortium's central staff: may act for the holdings-only member below
      { contexts: ["91475"] },
    ),
    mk(
      "91475",
      "NSHFT",
      ["WorldCatMetadataAPI:manage_institution_holdings"],
      [{ code: "NSHA", name: "Stacks" }],
      { state: "US-OR" },
    ),
    mk("58210", "RDONL", ["WorldCatMetadataAPI:view_brief_bibs"], [{ code: "RDOM", name: "Reading Room" }], {
      country: "GB",
      state: "GB-ENG",
    }),
  ];
}

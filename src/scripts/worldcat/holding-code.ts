/**
 * A `--holding-code` the account does not have: refused before a process exists when the account can be
 * reached (preflight), and checked again when the run starts (the code list may have changed since).
 */
import type { PreflightContext } from "../../engine/script.js";
import type { connect } from "./connect.js";
import { WorldCatScriptError } from "./errors.js";

/** How long a preflight waits for the account's holding codes before leaving the check to the run. */
const PREFLIGHT_CODES_MS = 15_000;

/**
 * A `--holding-code` the account does not have is refused before a process exists (issue 17 item 6), the
 * valid codes listed only to those allowed to see them. When the account cannot be reached now (network, a
 * secret not readable here), nothing is refused: the run checks the code again.
 */
export async function preflightHoldingCode(ctx: PreflightContext): Promise<void> {
  const code = typeof ctx.params.holdingCode === "string" ? ctx.params.holdingCode.trim() : "";
  const service = ctx.services.worldcat;
  if (code === "" || !service) return;
  let label: string;
  let codes: readonly { code: string }[];
  try {
    const client = await service.client();
    label = client.label;
    codes = await client.holdings.codes(AbortSignal.timeout(PREFLIGHT_CODES_MS));
  } catch {
    return; // not reachable at preflight: the run-time check stays
  }
  if (codes.some((c) => c.code === code)) return;
  const list = ctx.listChoices ? ` (${codes.map((c) => c.code).join(", ") || "none"})` : "";
  ctx.refuse(
    "--holding-code",
    `--holding-code ${code} is not one of ${label}'s holding library codes${list}`,
  );
}

export async function checkHoldingCode(
  wc: Awaited<ReturnType<typeof connect>>["client"],
  code: string,
): Promise<void> {
  const codes = await wc.holdings.codes();
  if (!codes.some((c) => c.code === code)) {
    throw new WorldCatScriptError(
      `--holding-code ${code} is not one of ${wc.label}'s holding library codes (${codes.map((c) => c.code).join(", ") || "none"})`,
    );
  }
}

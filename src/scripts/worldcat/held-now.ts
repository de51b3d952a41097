/**
 * Whether the institution holds `ocn` now (holdings/current): what a holdings write of an item an interrupted
 * run may have done (`maybeAttempted`) asks first, so that a resumed batch sends nothing twice.
 */
import type { WorldCatClient } from "../../worldcat/client.js";

export async function heldNow(wc: WorldCatClient, ocn: string, signal: AbortSignal): Promise<boolean> {
  const [status] = await wc.holdings.current([ocn], signal);
  return status?.holdingSet === true;
}

/**
 * One write to WorldCat in the unsettled-writes register (src/engine/unsettled-writes.ts), keyed by which
 * WorldCat, which institution and what is written: two processes writing the same thing share the key.
 *
 * ```ts
 * const w = registeredWrite(ctx.services.unsettledWrites, wc, "create-bib", contentDigest(record));
 * // key: "worldcat:https://metadata.api.oclc.org/worldcat:128807:create-bib:9f2c..."
 * if (await w?.unsettled()) lookFirst();
 * ```
 */
import type { UnsettledWrites } from "../../engine/unsettled-writes.js";
import type { WorldCatClient } from "../../worldcat/client.js";

export interface RegisteredWrite {
  /** True when an earlier attempt at this write, by any process, has an unknown outcome. */
  unsettled(): Promise<boolean>;
  /** Records that the write is about to be sent. */
  begin(): Promise<void>;
  /** The outcome is known: forgets every attempt at this write. */
  settle(): Promise<void>;
}

/** The write in the register; undefined when the host keeps none (a script run without an engine). */
export function registeredWrite(
  writes: UnsettledWrites | undefined,
  wc: WorldCatClient,
  kind: string,
  what: string,
): RegisteredWrite | undefined {
  if (!writes) return undefined;
  const key = writeKey(wc, kind, what);
  return {
    unsettled: async () => (await writes.find(key)) !== undefined,
    begin: () => writes.begin(key),
    settle: () => writes.settle(key),
  };
}

export function writeKey(wc: WorldCatClient, kind: string, what: string): string {
  const { account } = wc;
  return `worldcat:${account.baseUrls.metadata}:${account.registryId ?? account.name}:${kind}:${what}`;
}

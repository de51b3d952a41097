/** Opening the process's WorldCat account inside a script, with one log line saying which one it is. */
import type { ScriptContext } from "../../engine/script.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import type { WorldCatService } from "../../worldcat/script-services.js";
import { WorldCatScriptError } from "./errors.js";
import "../../worldcat/script-services.js";

export interface Connection {
  readonly client: WorldCatClient;
  readonly service: WorldCatService;
}

/** The process's client; throws when the host runs no WorldCat services. */
export async function connect(ctx: ScriptContext): Promise<Connection> {
  const service = ctx.services.worldcat;
  if (!service) {
    throw new WorldCatScriptError(
      "this host runs no WorldCat services (open the engine with worldcatServices(config))",
    );
  }
  const client = await service.client();
  const { account } = client;
  const where = account.sandboxUrl ? ` at ${account.sandboxUrl}` : "";
  const acting = account.context
    ? `, acting for institution ${account.context} (context:${account.context})`
    : "";
  ctx.log.info(
    `service account ${client.label}${where}, institution ${account.symbol ?? "?"} (${account.registryId ?? "?"})${acting}`,
  );
  return { client, service };
}

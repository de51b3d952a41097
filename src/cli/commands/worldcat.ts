/**
 * `nightshift worldcat`: tools for people debugging their WorldCat keys.
 *
 *   nightshift worldcat sign --key K --secret S --method GET --url URL [--timestamp T --nonce N]
 *                            [--principal-id ID --principal-idns NS]
 *   nightshift worldcat check --account NAME [--config FILE] [--json]
 */
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../config/config.js";
import { NightshiftError } from "../../errors.js";
import { resolveAccount, resolveSecretRef } from "../../worldcat/accounts.js";
import { authorizationHeader, hmacSignature } from "../../worldcat/auth/hmac.js";
import { createWorldCatClient } from "../../worldcat/client.js";
import { formatProbeReport, probeAccount } from "../../worldcat/probe.js";
import { redact } from "../../worldcat/redact.js";
import { withEmbeddedSandbox } from "../embedded-sandbox.js";

export const summary = "sign a request with a WSKey (debugging) and check what a service account may do";

const USAGE = `Usage:
  nightshift worldcat sign --key K --secret S --method GET --url URL [--timestamp T] [--nonce N]
                           [--principal-id ID] [--principal-idns NS]
      Prints the HMAC signature, then the full Authorization header.
      --secret also takes env:NAME or file:PATH (better: the secret stays out of the process list).
  nightshift worldcat check --account NAME (or -A NAME) [--config FILE] [--json]
      Gets a token, probes one harmless call per operation, prints what the account can do.
Exit codes: 0 done, 1 failed, 2 usage error.
`;

class UsageError extends Error {}

async function sign(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      key: { type: "string" },
      secret: { type: "string" },
      method: { type: "string", default: "GET" },
      url: { type: "string" },
      timestamp: { type: "string" },
      nonce: { type: "string" },
      "principal-id": { type: "string" },
      "principal-idns": { type: "string" },
    },
  });
  for (const required of ["key", "secret", "url"] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required`);
  }
  const secretRef = values.secret!;
  const secret =
    secretRef.startsWith("env:") || secretRef.startsWith("file:")
      ? await resolveSecretRef(secretRef, "(command line)", "--secret", process.env)
      : warnLiteral(secretRef);
  if (values.timestamp !== undefined && !/^\d+$/.test(values.timestamp)) {
    throw new UsageError(`--timestamp must be unix seconds (got ${values.timestamp})`);
  }
  const input = {
    key: values.key!,
    secret,
    method: values.method!.toUpperCase(),
    url: values.url!,
    timestamp: values.timestamp ?? String(Math.floor(Date.now() / 1000)),
    nonce: values.nonce ?? randomBytes(8).toString("hex"),
    principalID: values["principal-id"],
    principalIDNS: values["principal-idns"],
  };
  process.stdout.write(`${hmacSignature(input)}\nAuthorization: ${authorizationHeader(input)}\n`);
  return 0;
}

async function check(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      account: { type: "string", short: "A" },
      config: { type: "string" },
      "data-dir": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (!values.account) throw new UsageError("--account is required");
  const loaded = await loadConfig({ configPath: values.config, dataDir: values["data-dir"] });
  // On embedded defaults `sandbox` is the built-in sandbox (the one a running `serve` published, or a private one).
  const embedded =
    values.account === "sandbox" ? await withEmbeddedSandbox(loaded, { share: false }) : undefined;
  const config = embedded?.config ?? loaded;
  const baseDir = config.configPath ? dirname(config.configPath) : undefined;
  const account = await resolveAccount(
    config.accounts,
    values.account,
    embedded?.env ?? process.env,
    baseDir,
  );
  const client = createWorldCatClient(account, { retry: { maxAttempts: 2 }, timeouts: { readMs: 20_000 } });
  try {
    const report = await probeAccount(client);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatProbeReport(report));
    return report.tokenError ? 1 : 0;
  } finally {
    client.close();
    await embedded?.close();
  }
}

export default async function worldcatCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === "sign") return await sign(rest);
    if (sub === "check") return await check(rest);
    if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
      process.stdout.write(USAGE);
      return sub ? 0 : 2;
    }
    throw new UsageError(`unknown sub-command '${sub}'`);
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      process.stderr.write(`nightshift worldcat: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof NightshiftError) {
      process.stderr.write(`nightshift worldcat: ${redact(err.message)}\n`);
      return 1;
    }
    throw err;
  }
}

/** A secret written on the command line works, but other local users can read it in `ps`. */
function warnLiteral(secret: string): string {
  process.stderr.write(
    "nightshift worldcat sign: warning: --secret was given on the command line, where other local users can read it (ps); give env:NAME or file:PATH instead\n",
  );
  return secret;
}

import { existsSync } from "node:fs";
import { resolve } from "node:path";
/**
 * `nightshift sandbox`: runs the WorldCat sandbox alone, prints where it listens and the accounts to use.
 */
import { parseArgs } from "node:util";
import {
  AccountsFileError,
  guideFor,
  loadAccounts,
  parseDuration,
  parseErrorRates,
  parseProbability,
  parseRate,
  type Sandbox,
  type SandboxAccount,
  SandboxOptionError,
  type SandboxOptions,
  startSandbox,
} from "../../sandbox/index.js";

export const summary = "run the WorldCat sandbox (a local imitation of the Metadata API) for tests and demos";

const USAGE = `Usage: nightshift sandbox [options]
  --port N               port to listen on (default 0: any free port)
  --host ADDR            interface (default 127.0.0.1)
  --seed N               add N synthetic records 100000001..100000000+N
  --seed corpus          the MARC corpus shipped with Nightshift (the default; --no-corpus leaves it out)
  --seed PATH            also load the records of a MARC file (any format) or of every file in a directory
                         (--seed may be repeated)
  --no-corpus            leave out the MARC corpus records
  --latency 100ms        added delay per request, --jitter 20ms around it
  --error-rate 503=0.02,500=0.01   injected error statuses with their probabilities
  --timeout-rate 0.01    requests accepted and never answered (half of them after being applied)
  --rate-limit 20/s      per-client rate; over it: 429 with Retry-After
  --fault-seed N         seed of the fault generator (same seed, same faults)
  --accounts FILE        accounts JSON; without it demo accounts are generated and printed once
  --oai-retry-after S    the demo OAI-PMH provider (/oai/request) answers the first resumed page of each
                         harvest 503 with Retry-After S (flow control)
  --enable-control       serve GET /_sandbox/state, POST /_sandbox/reset, /_sandbox/faults, /_sandbox/clock
`;

class UsageError extends Error {}

function num(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${what} must be a whole number >= 0; got '${text}'`);
  return n;
}

/** `--seed N` (synthetic records), `--seed corpus` (the default corpus), `--seed PATH` (MARC files). */
function seedOptions(values: readonly string[]): Pick<SandboxOptions, "seed" | "seedFiles"> {
  let seed = 0;
  const seedFiles: string[] = [];
  for (const value of values) {
    if (/^\d+$/.test(value)) seed += num(value, "--seed");
    else if (value === "corpus") continue;
    else if (existsSync(value)) seedFiles.push(resolve(value));
    else
      throw new UsageError(`--seed takes a number, 'corpus' or a MARC file or directory; '${value}' is none`);
  }
  return { seed, seedFiles };
}

export function sandboxOptions(argv: string[]): SandboxOptions & { accountsFile?: string } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      seed: { type: "string", multiple: true },
      "no-corpus": { type: "boolean" },
      latency: { type: "string" },
      jitter: { type: "string" },
      "error-rate": { type: "string" },
      "timeout-rate": { type: "string" },
      "rate-limit": { type: "string" },
      "fault-seed": { type: "string" },
      accounts: { type: "string" },
      "enable-control": { type: "boolean" },
      "oai-retry-after": { type: "string" },
    },
  });
  const v = values;
  return {
    port: v.port === undefined ? 0 : num(v.port, "--port"),
    host: v.host,
    ...seedOptions(v.seed ?? []),
    corpus: !v["no-corpus"],
    latencyMs: v.latency === undefined ? 0 : parseDuration(v.latency),
    jitterMs: v.jitter === undefined ? 0 : parseDuration(v.jitter),
    errorRates: v["error-rate"] === undefined ? {} : parseErrorRates(v["error-rate"]),
    timeoutRate: v["timeout-rate"] === undefined ? 0 : parseProbability(v["timeout-rate"]),
    rateLimit: v["rate-limit"] === undefined ? undefined : parseRate(v["rate-limit"]),
    rngSeed: v["fault-seed"] === undefined ? undefined : num(v["fault-seed"], "--fault-seed"),
    enableControl: Boolean(v["enable-control"]),
    oaiRetryAfter:
      v["oai-retry-after"] === undefined ? undefined : num(v["oai-retry-after"], "--oai-retry-after"),
    accountsFile: v.accounts,
  };
}

function describe(a: SandboxAccount, withSecret: boolean): string {
  return [
    `  SANDBOX account ${a.symbol} (registryId ${a.registryId})`,
    `    key:           ${a.key}`,
    withSecret ? `    secret:        ${a.secret}` : "    secret:        (from the accounts file)",
    `    principalID:   ${a.principalID}`,
    `    principalIDNS: ${a.principalIDNS}`,
    `    scopes:        ${a.scopes.join(" ")}`,
    `    holdingCodes:  ${a.holdingCodes.map((c) => c.code).join(", ")}`,
  ].join("\n");
}

export default async function sandboxCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    // The guide of the sandbox these options would start (without --help: the defaults), from its seed data.
    const rest = argv.filter((a) => a !== "--help" && a !== "-h");
    let guide: string[] = [];
    try {
      const { accountsFile, ...options } = sandboxOptions(rest);
      guide = await guideFor({ ...options, accounts: accountsFile ? loadAccounts(accountsFile) : undefined });
    } catch {
      // Options that do not parse: the usage alone (running them says what is wrong).
    }
    process.stdout.write(`${USAGE}${guide.length > 0 ? `\n${guide.join("\n")}\n` : ""}`);
    return 0;
  }
  let sandbox: Sandbox;
  let generated: boolean;
  try {
    const { accountsFile, ...options } = sandboxOptions(argv);
    const accounts = accountsFile ? loadAccounts(accountsFile) : undefined;
    generated = accounts === undefined;
    sandbox = await startSandbox({ ...options, accounts });
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof SandboxOptionError ||
      err instanceof AccountsFileError ||
      (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      process.stderr.write(`nightshift sandbox: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const lines = [
    `WorldCat SANDBOX (not WorldCat: nothing here reaches OCLC)`,
    `listening on ${sandbox.url}`,
    "accounts:",
  ];
  for (const a of sandbox.accounts) lines.push(describe(a, generated));
  lines.push(...sandbox.guide());
  lines.push("ready (Ctrl-C to stop)");
  process.stdout.write(`${lines.join("\n")}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sandbox.close();
  return 0;
}

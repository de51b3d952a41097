/**
 * `nightshift user add|list|remove|token`: users with roles, passwords and API tokens. A new token is
 * printed on the LAST line of the output, alone, so scripts can take it with `tail -n 1`.
 */
import { text } from "node:stream/consumers";
import { makeDataDirPrivate } from "../../engine/data-dir.js";
import { parseTokenExpiry } from "../../server/auth/token-expiry.js";
import { type ApiToken, createUserDirectory, ROLES, type UserDirectory } from "../../server/index.js";
import { openStore } from "../../store/index.js";
import { loadCliConfig, type ParsedArgs, parseArgs, runCommand, UsageError, writeJson } from "../options.js";
import { table } from "../table.js";

export const summary = "manage users of the REST API: add, list, remove, token, tokens";

const USAGE = `Usage:
  nightshift user add --name N --role ${ROLES.join("|")} [--password-stdin] [--token]
  nightshift user list [--json]
  nightshift user remove --name N
  nightshift user token --name N [--label TEXT] [--expires 90d|DATE]
  nightshift user token --revoke ID
  nightshift user tokens --name N [--json]
  (all take --data-dir DIR and --config FILE)
--password-stdin reads the password (at least 8 characters) from standard input.
--token and 'user token' print a new API token on the last line; it is shown once and stored hashed.
Clients send it as 'Authorization: Bearer <token>'. --expires: a duration from now (90d, 12h, 2w) or a
date (2026-12-31: the end of that day, UTC); an expired token is refused (401 saying it expired).
'user tokens' lists a user's tokens: id, label, created, expires, last used (never the token itself).
'user token --revoke ID' deletes one token: a running server refuses it from its next request (one started
from this command line, in another process: within 5 seconds).
`;

const FLAGS = {
  name: { type: "string" },
  role: { type: "string" },
  "password-stdin": { type: "boolean" },
  token: { type: "boolean" },
  label: { type: "string" },
  expires: { type: "string" },
  revoke: { type: "string" },
} as const;

async function withUsers<T>(
  flags: ParsedArgs["flags"],
  fn: (users: UserDirectory) => Promise<T>,
): Promise<T> {
  const config = await loadCliConfig(flags);
  await makeDataDirPrivate(config.dataDir);
  const store = await openStore(config);
  try {
    return await fn(createUserDirectory(store));
  } finally {
    await store.close();
  }
}

function requireName(flags: ParsedArgs["flags"]): string {
  if (typeof flags.name !== "string" || flags.name === "") throw new UsageError("--name is needed");
  return flags.name;
}

async function readPassword(): Promise<string> {
  const raw = await text(process.stdin);
  return raw.replace(/\r?\n$/, "");
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export default function userCommand(argv: string[]): Promise<number> {
  return runCommand("user", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, FLAGS);
    const [action, ...extra] = positionals;
    if (flags.help || !action) {
      process.stdout.write(USAGE);
      return action || flags.help ? 0 : 2;
    }
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    switch (action) {
      case "add": {
        const name = requireName(flags);
        if (typeof flags.role !== "string") throw new UsageError(`--role is needed (${ROLES.join(", ")})`);
        const password = flags["password-stdin"] ? await readPassword() : undefined;
        return withUsers(flags, async (users) => {
          const user = await users.add({ name, role: flags.role as string, password });
          say(
            `user ${user.name} added (role ${user.role}, id ${user.id})${password ? " with a password" : ""}`,
          );
          if (flags.token) {
            say("API token (shown once; send it as 'Authorization: Bearer <token>'):");
            say(await users.issueToken(name));
          }
          return 0;
        });
      }
      case "list":
        return withUsers(flags, async (users) => {
          const list = await users.list();
          if (flags.json) writeJson(list);
          else if (list.length === 0) say("no users (the first 'nightshift serve' creates an admin)");
          else
            for (const u of list)
              say(
                `${u.name.padEnd(20)} ${u.role.padEnd(9)} tokens: ${u.tokens}  password: ${u.hasPassword ? "yes" : "no"}  created ${u.createdAt}`,
              );
          return 0;
        });
      case "remove": {
        const name = requireName(flags);
        return withUsers(flags, async (users) => {
          if (!(await users.remove(name))) {
            process.stderr.write(`nightshift user: no user named '${name}'\n`);
            return 1;
          }
          say(`user ${name} removed (with their tokens and sessions)`);
          return 0;
        });
      }
      case "token": {
        if (flags.revoke !== undefined) {
          const id = Number(flags.revoke);
          if (!Number.isSafeInteger(id) || id < 1)
            throw new UsageError(
              `--revoke needs a token id (a number from 'user tokens'), got '${flags.revoke}'`,
            );
          return withUsers(flags, async (users) => {
            if (!(await users.revokeToken(id))) {
              process.stderr.write(`nightshift user: no API token with id ${id}\n`);
              return 1;
            }
            say(`API token ${id} revoked`);
            return 0;
          });
        }
        const name = requireName(flags);
        const expiresAt = typeof flags.expires === "string" ? parseTokenExpiry(flags.expires) : undefined;
        const label = typeof flags.label === "string" ? flags.label : undefined;
        return withUsers(flags, async (users) => {
          const { token, record } = await users.createToken(name, { label, expiresAt });
          const expiry = record.expiresAt ? `, expires ${record.expiresAt}` : "";
          say(`new API token ${record.id} for ${name}${expiry} (shown once):`);
          say(token);
          return 0;
        });
      }
      case "tokens": {
        const name = requireName(flags);
        return withUsers(flags, async (users) => {
          const list = await users.tokens(name);
          if (flags.json) writeJson(list);
          else if (list.length === 0) say(`${name} has no API tokens`);
          else process.stdout.write(table(tokenRows(list, Date.now())));
          return 0;
        });
      }
      default:
        throw new UsageError(`unknown action '${action}' (add, list, remove, token, tokens)`);
    }
  });
}

/** `id  label  created  expires  last used`, one token a line (never the token itself). */
function tokenRows(list: readonly ApiToken[], now: number): string[][] {
  const rows = list.map((t) => [
    String(t.id),
    t.label ?? "-",
    t.createdAt,
    t.expiresAt === null ? "never" : `${t.expiresAt}${Date.parse(t.expiresAt) <= now ? " (expired)" : ""}`,
    t.lastUsedAt ?? "never",
  ]);
  return [["id", "label", "created", "expires", "last used"], ...rows];
}

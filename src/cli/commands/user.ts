/**
 * `nightshift user add|list|remove|token`: users with roles, passwords and API tokens. A new token is
 * printed on the LAST line of the output, alone, so scripts can take it with `tail -n 1`.
 */
import { text } from "node:stream/consumers";
import { makeDataDirPrivate } from "../../engine/data-dir.js";
import { createUserDirectory, ROLES, type UserDirectory } from "../../server/index.js";
import { openStore } from "../../store/index.js";
import { loadCliConfig, type ParsedArgs, parseArgs, runCommand, UsageError, writeJson } from "../options.js";

export const summary = "manage users of the REST API: add, list, remove, token";

const USAGE = `Usage:
  nightshift user add --name N --role ${ROLES.join("|")} [--password-stdin] [--token]
  nightshift user list [--json]
  nightshift user remove --name N
  nightshift user token --name N
  (all take --data-dir DIR and --config FILE)
--password-stdin reads the password (at least 8 characters) from standard input.
--token and 'user token' print a new API token on the last line; it is shown once and stored hashed.
Clients send it as 'Authorization: Bearer <token>'.
`;

const FLAGS = {
  name: { type: "string" },
  role: { type: "string" },
  "password-stdin": { type: "boolean" },
  token: { type: "boolean" },
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
        const name = requireName(flags);
        return withUsers(flags, async (users) => {
          const token = await users.issueToken(name);
          say(`new API token for ${name} (shown once):`);
          say(token);
          return 0;
        });
      }
      default:
        throw new UsageError(`unknown action '${action}' (add, list, remove, token)`);
    }
  });
}

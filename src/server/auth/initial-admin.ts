/**
 * First start with no users: create `admin` with a random password and an API token, and write them to
 * `<dataDir>/initial-admin.txt` (mode 0600). The caller prints them once.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UserExistsError } from "./errors.js";
import { randomSecret } from "./secret-token.js";
import type { UserDirectory } from "./users.js";

export interface InitialAdmin {
  readonly name: string;
  readonly password: string;
  readonly token: string;
  /** Where the credentials were written. */
  readonly file: string;
}

export const INITIAL_ADMIN_FILE = "initial-admin.txt";

/** Creates the first admin when there are no users; undefined when there already were users. */
export async function ensureInitialAdmin(
  users: UserDirectory,
  dataDir: string,
): Promise<InitialAdmin | undefined> {
  if ((await users.count()) > 0) return undefined;
  const name = "admin";
  const password = randomSecret(18);
  try {
    await users.add({ name, role: "admin", password });
  } catch (err) {
    if (err instanceof UserExistsError) return undefined; // another process got there first
    throw err;
  }
  const token = await users.issueToken(name);
  const file = join(dataDir, INITIAL_ADMIN_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // A file left from an earlier install keeps its own mode when overwritten (and a symlink would be followed):
  // remove it and create a new one exclusively, so the credentials are never readable by others.
  await rm(file, { force: true });
  await writeFile(
    file,
    `# Nightshift's first admin, created ${new Date().toISOString()}. Delete this file once you have kept these.\nuser: ${name}\npassword: ${password}\ntoken: ${token}\n`,
    { mode: 0o600, flag: "wx" },
  );
  return { name, password, token, file };
}

/**
 * The user directory: users with roles, API tokens (stored as SHA-256 hashes) and passwords (scrypt).
 * Shared by `nightshift user` and the REST layer.
 *
 * ```ts
 * const users = createUserDirectory(store);
 * await users.add({ name: "ana", role: "operator" });
 * const token = await users.issueToken("ana"); // "nst_..." shown once
 * (await users.byToken(token))?.name // "ana"
 * ```
 */
import { randomUUID } from "node:crypto";
import {
  countApiTokens,
  findUserByTokenHash,
  insertApiToken,
  touchApiToken,
} from "../../store/queries/api-tokens.js";
import {
  countUsers,
  deleteUser,
  findUserById,
  findUserByName,
  insertUser,
  listUsers,
  updateUser,
} from "../../store/queries/users.js";
import type { UserRole, UserRow } from "../../store/schema.js";
import { isoTime, type Store } from "../../store/store.js";
import { InvalidUserError, UserExistsError, UserNotFoundError } from "./errors.js";
import { DUMMY_HASH, hashPassword, verifyPassword } from "./password.js";
import { newApiToken, sha256 } from "./secret-token.js";

export const ROLES: readonly UserRole[] = ["admin", "operator", "viewer"];

export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: UserRole;
  readonly createdAt: string;
  readonly hasPassword: boolean;
}

export interface NewUser {
  readonly name: string;
  readonly role: string;
  readonly password?: string;
}

export interface UserDirectory {
  /** Throws InvalidUserError (bad name, role or password) or UserExistsError. */
  add(user: NewUser): Promise<User>;
  list(): Promise<(User & { tokens: number })[]>;
  /** Removes the user with their tokens and sessions; false when there was none. */
  remove(name: string): Promise<boolean>;
  /** A new API token for the user, returned once (only its hash is kept). */
  issueToken(name: string): Promise<string>;
  setPassword(name: string, password: string): Promise<void>;
  byId(id: string): Promise<User | undefined>;
  /**
   * The token's user. Verified tokens are remembered for TOKEN_CACHE_MS (a request then costs no database
   * lookup); removing a user, or `forgetTokens()`, through any directory of the same store clears them at
   * once in this process, and a change made by another process (the CLI) is seen within that time.
   */
  byToken(token: string): Promise<User | undefined>;
  /** Drops every remembered token verification (call after revoking tokens or changing a user's role). */
  forgetTokens(): void;
  /** The user when the password matches; takes the same time whether or not the user exists. */
  byPassword(name: string, password: string): Promise<User | undefined>;
  count(): Promise<number>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Token use is recorded at most this often per token (a write per request would cost throughput). */
const TOUCH_EVERY_MS = 60_000;
/** How long a verified token is believed without asking the database again. */
export const TOKEN_CACHE_MS = 5_000;
/** Remembered verifications at most (a flood of distinct valid tokens cannot grow memory without bound). */
const TOKEN_CACHE_SIZE = 10_000;

interface Verified {
  readonly user: User;
  readonly tokenId: number;
  readonly until: number;
  readonly generation: number;
}

/**
 * Bumped by every removal or `forgetTokens()` on a store: every directory of that store in this process
 * (the server's, a test's, an admin command's) stops believing what it verified before.
 */
const generations = new WeakMap<Store, { n: number }>();

function generationOf(store: Store): { n: number } {
  let g = generations.get(store);
  if (g === undefined) {
    g = { n: 0 };
    generations.set(store, g);
  }
  return g;
}

export function toUser(row: UserRow): User {
  return Object.freeze({
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    hasPassword: row.password_hash !== null,
  });
}

function checkPassword(password: string): void {
  if (password.length < 8) throw new InvalidUserError("password", "a password needs at least 8 characters");
}

export function createUserDirectory(store: Store, now: () => number = Date.now): UserDirectory {
  const touched = new Map<number, number>();
  /** Verified tokens by the SHA-256 of the token (the token itself is never kept). */
  const verified = new Map<string, Verified>();
  const generation = generationOf(store);
  const forget = () => {
    generation.n++;
    verified.clear();
  };
  const require = async (name: string) => {
    const row = await findUserByName(store.db, name);
    if (!row) throw new UserNotFoundError(name);
    return row;
  };
  return Object.freeze({
    async add({ name, role, password }: NewUser) {
      if (!NAME.test(name))
        throw new InvalidUserError("name", `user name '${name}' must be 1-64 letters, digits, . _ @ -`);
      if (!ROLES.includes(role as UserRole))
        throw new InvalidUserError("role", `role must be one of ${ROLES.join(", ")}; got '${role}'`);
      if (password !== undefined) checkPassword(password);
      const row: UserRow = {
        id: randomUUID(),
        name,
        role: role as UserRole,
        password_hash: password === undefined ? null : await hashPassword(password),
        created_at: isoTime(now()),
      };
      await store.write(async (db) => {
        if (await findUserByName(db, name)) throw new UserExistsError(name);
        await insertUser(db, row);
      });
      return toUser(row);
    },
    async list() {
      const [rows, tokens] = await Promise.all([listUsers(store.db), countApiTokens(store.db)]);
      return rows.map((r) => ({ ...toUser(r), tokens: tokens.get(r.id) ?? 0 }));
    },
    async remove(name: string) {
      const removed = await store.write((db) => deleteUser(db, name));
      forget();
      return removed;
    },
    async issueToken(name: string) {
      const user = await require(name);
      const token = newApiToken();
      await store.write((db) => insertApiToken(db, user.id, sha256(token), isoTime(now())));
      return token;
    },
    async setPassword(name: string, password: string) {
      checkPassword(password);
      const hash = await hashPassword(password);
      if (!(await store.write((db) => updateUser(db, name, { password_hash: hash }))))
        throw new UserNotFoundError(name);
    },
    async byId(id: string) {
      const row = await findUserById(store.db, id);
      return row && toUser(row);
    },
    async byToken(token: string) {
      const hash = sha256(token);
      const t = now();
      let hit = verified.get(hash);
      if (hit === undefined || hit.until <= t || hit.generation !== generation.n) {
        const row = await findUserByTokenHash(store.db, hash);
        if (!row) {
          verified.delete(hash);
          return undefined;
        }
        if (verified.size >= TOKEN_CACHE_SIZE) verified.clear();
        hit = {
          user: toUser(row),
          tokenId: row.token_id,
          until: t + TOKEN_CACHE_MS,
          generation: generation.n,
        };
        verified.set(hash, hit);
      }
      if ((touched.get(hit.tokenId) ?? 0) + TOUCH_EVERY_MS < t) {
        touched.set(hit.tokenId, t);
        const tokenId = hit.tokenId;
        void store.write((db) => touchApiToken(db, tokenId, isoTime(t))).catch(() => undefined);
      }
      return hit.user;
    },
    forgetTokens: forget,
    async byPassword(name: string, password: string) {
      const row = await findUserByName(store.db, name);
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      return ok && row?.password_hash ? toUser(row) : undefined;
    },
    count: () => countUsers(store.db),
  });
}

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
  deleteApiToken,
  findApiToken,
  findUserByTokenHash,
  insertApiToken,
  listApiTokens,
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
import type { ApiTokenRow, UserRole, UserRow } from "../../store/schema.js";
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

/** An API token as lists show it: everything but the secret (which is never stored). */
export interface ApiToken {
  readonly id: number;
  readonly userId: string;
  readonly label: string | null;
  readonly createdAt: string;
  /** null: it does not expire. */
  readonly expiresAt: string | null;
  /** Recorded at most once a minute per token. */
  readonly lastUsedAt: string | null;
}

export interface IssueTokenOptions {
  /** What the token is for, shown in lists. */
  readonly label?: string;
  /** When it stops working; absent: never. */
  readonly expiresAt?: Date;
}

/** What checking a token found: its user, or that it expired (a 401 saying so), or nothing. */
export type TokenCheck =
  | { readonly user: User; readonly tokenId: number }
  | { readonly expired: string }
  | undefined;

export interface UserDirectory {
  /** Throws InvalidUserError (bad name, role or password) or UserExistsError. */
  add(user: NewUser): Promise<User>;
  list(): Promise<(User & { tokens: number })[]>;
  /** Removes the user with their tokens and sessions; false when there was none. */
  remove(name: string): Promise<boolean>;
  /** A new API token for the user, returned once (only its hash is kept). */
  issueToken(name: string, options?: IssueTokenOptions): Promise<string>;
  /** Like issueToken, with the new token's record. */
  createToken(name: string, options?: IssueTokenOptions): Promise<{ token: string; record: ApiToken }>;
  /** The user's tokens (never the secret); UserNotFoundError for an unknown name. */
  tokens(name: string): Promise<ApiToken[]>;
  /** The tokens of a user by id. */
  tokensOf(userId: string): Promise<ApiToken[]>;
  /** One token's record, if it exists. */
  token(id: number): Promise<ApiToken | undefined>;
  /**
   * Deletes one token; false when there was none. Every directory of the same store in this process stops
   * believing it at once (another OS process: within TOKEN_CACHE_MS).
   */
  revokeToken(id: number): Promise<boolean>;
  setPassword(name: string, password: string): Promise<void>;
  byId(id: string): Promise<User | undefined>;
  /**
   * The token's user. Verified tokens are remembered for TOKEN_CACHE_MS (a request then costs no database
   * lookup); removing a user, or `forgetTokens()`, through any directory of the same store clears them at
   * once in this process, and a change made by another process (the CLI) is seen within that time.
   */
  byToken(token: string): Promise<User | undefined>;
  /** As byToken, and tells an expired token apart (its expiry time) from an unknown or revoked one. */
  checkToken(token: string): Promise<TokenCheck>;
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
  /** The token's expiry (ms), or Infinity. */
  readonly expiresAt: number;
  readonly until: number;
  readonly generation: number;
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return Object.freeze({
    id: Number(row.id),
    userId: row.user_id,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  });
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
  const directory: UserDirectory = Object.freeze({
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
    async issueToken(name: string, options: IssueTokenOptions = {}) {
      return (await directory.createToken(name, options)).token;
    },
    async createToken(name: string, options: IssueTokenOptions = {}) {
      const user = await require(name);
      const label = options.label?.trim() || null;
      if (label && label.length > 200)
        throw new InvalidUserError("token", "a token label has at most 200 characters");
      const created = now();
      const expiresAt = options.expiresAt?.getTime();
      if (expiresAt !== undefined && !(expiresAt > created))
        throw new InvalidUserError("token", "a token's expiry must be in the future");
      const token = newApiToken();
      const row: Omit<ApiTokenRow, "id"> = {
        user_id: user.id,
        token_hash: sha256(token),
        created_at: isoTime(created),
        last_used_at: null,
        label,
        expires_at: expiresAt === undefined ? null : isoTime(expiresAt),
      };
      const id = await store.write((db) =>
        insertApiToken(db, {
          userId: row.user_id,
          tokenHash: row.token_hash,
          createdAt: row.created_at,
          label: row.label,
          expiresAt: row.expires_at,
        }),
      );
      return { token, record: toApiToken({ ...row, id }) };
    },
    async tokens(name: string) {
      const user = await require(name);
      return (await listApiTokens(store.db, user.id)).map(toApiToken);
    },
    async tokensOf(userId: string) {
      return (await listApiTokens(store.db, userId)).map(toApiToken);
    },
    async token(id: number) {
      const row = await findApiToken(store.db, id);
      return row && toApiToken(row);
    },
    async revokeToken(id: number) {
      const removed = await store.write((db) => deleteApiToken(db, id));
      forget();
      return removed;
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
      const found = await directory.checkToken(token);
      return found && "user" in found ? found.user : undefined;
    },
    async checkToken(token: string): Promise<TokenCheck> {
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
          tokenId: Number(row.token_id),
          expiresAt:
            row.token_expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(row.token_expires_at),
          until: t + TOKEN_CACHE_MS,
          generation: generation.n,
        };
        verified.set(hash, hit);
      }
      // Checked on every use, cached or not: a token stops at its expiry to the millisecond.
      if (hit.expiresAt <= t) return { expired: isoTime(hit.expiresAt) };
      if ((touched.get(hit.tokenId) ?? 0) + TOUCH_EVERY_MS < t) {
        touched.set(hit.tokenId, t);
        const tokenId = hit.tokenId;
        void store.write((db) => touchApiToken(db, tokenId, isoTime(t))).catch(() => undefined);
      }
      return { user: hit.user, tokenId: hit.tokenId };
    },
    forgetTokens: forget,
    async byPassword(name: string, password: string) {
      const row = await findUserByName(store.db, name);
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      return ok && row?.password_hash ? toUser(row) : undefined;
    },
    count: () => countUsers(store.db),
  });
  return directory;
}

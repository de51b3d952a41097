/** Browser sessions: a random cookie value (stored as SHA-256) bound to a user and a CSRF token. */
import {
  deleteExpiredSessions,
  deleteSession,
  findSession,
  insertSession,
} from "../../store/queries/sessions.js";
import { isoTime, type Store } from "../../store/store.js";
import { randomSecret, sha256 } from "./secret-token.js";
import { toUser, type User } from "./users.js";

export interface OpenedSession {
  /** The cookie value (never stored). */
  readonly cookie: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface Sessions {
  readonly ttlMs: number;
  open(userId: string): Promise<OpenedSession>;
  find(cookie: string): Promise<{ user: User; csrfToken: string } | undefined>;
  close(cookie: string): Promise<void>;
}

export function createSessions(store: Store, ttlMs: number, now: () => number = Date.now): Sessions {
  return Object.freeze({
    ttlMs,
    async open(userId: string) {
      const cookie = randomSecret();
      const csrfToken = randomSecret();
      const t = now();
      const expiresAt = isoTime(t + ttlMs);
      await store.write(async (db) => {
        await deleteExpiredSessions(db, isoTime(t));
        await insertSession(db, {
          id_hash: sha256(cookie),
          user_id: userId,
          csrf_token: csrfToken,
          created_at: isoTime(t),
          expires_at: expiresAt,
        });
      });
      return { cookie, csrfToken, expiresAt };
    },
    async find(cookie: string) {
      const row = await findSession(store.db, sha256(cookie), isoTime(now()));
      return row && { user: toUser(row), csrfToken: row.csrf_token };
    },
    close: (cookie: string) => store.write((db) => deleteSession(db, sha256(cookie))),
  });
}

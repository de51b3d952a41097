/** Who is signed in (GET /api/auth/me), sign in and sign out. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { ApiError, getJson, sendJson, setUnauthenticatedHandler } from "./api.ts";
import type { Me } from "./types.ts";

interface Session {
  readonly me: Me | undefined;
  readonly checked: boolean;
  signIn(name: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me>();
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    setUnauthenticatedHandler(() => setMe(undefined));
    getJson<Me>("/api/auth/me")
      .then(setMe)
      .catch((err) => {
        if (!(err instanceof ApiError) || err.status !== 401) console.error(err);
      })
      .finally(() => setChecked(true));
  }, []);
  const signIn = useCallback(async (name: string, password: string) => {
    setMe(await sendJson<Me>("POST", "/api/auth/login", { name, password }));
  }, []);
  const signOut = useCallback(async () => {
    try {
      await sendJson("POST", "/api/auth/logout");
    } finally {
      setMe(undefined);
    }
  }, []);
  return (
    <SessionContext.Provider value={{ me, checked, signIn, signOut }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

/** The signed-in user (pages below the sign-in gate only). */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error("not signed in");
  return me;
}

export const isAdmin = (me: Me) => me.role === "admin";
export const mayManage = (me: Me) => me.role !== "viewer";

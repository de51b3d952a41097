import { type FormEvent, useState } from "react";
import { ApiError } from "../lib/api.ts";
import { useSession } from "../lib/session.tsx";

export function SignIn() {
  const { signIn } = useSession();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(name, password);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin" id="main">
      <h1>Nightshift</h1>
      <p className="muted">Sign in to run and watch library metadata jobs.</p>
      <form onSubmit={submit} aria-describedby={error ? "signin-error" : undefined}>
        <label htmlFor="signin-name">User name</label>
        <input
          id="signin-name"
          autoComplete="username"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <label htmlFor="signin-password">Password</label>
        <input
          id="signin-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {error && (
          <p className="error" id="signin-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

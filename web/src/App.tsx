/** The shell: sign-in gate, navigation, and the page for the current path. */
import { useEffect, useRef } from "react";
import { Link, match, RouterProvider, useLocation } from "./lib/router.tsx";
import { isAdmin, SessionProvider, useSession } from "./lib/session.tsx";
import { Accounts } from "./pages/Accounts.tsx";
import { Dashboard } from "./pages/Dashboard.tsx";
import { NewProcess } from "./pages/NewProcess.tsx";
import { NotFound } from "./pages/NotFound.tsx";
import { ProcessPage } from "./pages/Process.tsx";
import { Processes } from "./pages/Processes.tsx";
import { Scripts } from "./pages/Scripts.tsx";
import { SignIn } from "./pages/SignIn.tsx";
import { NewSchedule } from "./pages/schedules/NewSchedule.tsx";
import { Schedules } from "./pages/schedules/Schedules.tsx";
import { Triggers } from "./pages/Triggers.tsx";

export function App() {
  return (
    <RouterProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </RouterProvider>
  );
}

interface Route {
  readonly pattern: string;
  readonly title: string;
  render(params: Record<string, string>): React.ReactNode;
}

const ROUTES: readonly Route[] = [
  { pattern: "/", title: "Dashboard", render: () => <Dashboard /> },
  { pattern: "/scripts", title: "Scripts", render: () => <Scripts /> },
  {
    pattern: "/scripts/:name/new",
    title: "New process",
    render: (p) => <NewProcess key={p.name} script={p.name} />,
  },
  { pattern: "/processes", title: "Processes", render: () => <Processes /> },
  {
    pattern: "/processes/:id",
    title: "Process",
    render: (p) => <ProcessPage key={p.id} id={Number(p.id)} />,
  },
  { pattern: "/schedules", title: "Schedules", render: () => <Schedules /> },
  { pattern: "/schedules/new", title: "New schedule", render: () => <NewSchedule /> },
  { pattern: "/triggers", title: "Triggers", render: () => <Triggers /> },
  { pattern: "/accounts", title: "Accounts", render: () => <Accounts /> },
];

const NAV = [
  { to: "/", label: "Dashboard" },
  { to: "/scripts", label: "Scripts" },
  { to: "/processes", label: "Processes" },
  { to: "/schedules", label: "Schedules" },
  { to: "/triggers", label: "Triggers" },
  { to: "/accounts", label: "Accounts", admin: true },
];

function Shell() {
  const { me, checked, signOut } = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const found = ROUTES.map((r) => ({ r, params: match(r.pattern, path) })).find((x) => x.params);
  const title = found?.r.title ?? "Not found";
  useEffect(() => {
    document.title = `${title} · Nightshift`;
  }, [title]);
  // A new page moves keyboard focus to its content, as a page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [path]);
  if (!checked) return <p className="loading">Loading…</p>;
  if (!me) return <SignIn />;
  const current = (to: string) => (to === "/" ? path === "/" : path.startsWith(to));
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Nightshift
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => !n.admin || isAdmin(me)).map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={current(n.to) ? "page" : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {me.name} <span className="role">({me.role})</span>
          </span>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {found ? found.r.render(found.params ?? {}) : <NotFound />}
      </main>
    </>
  );
}

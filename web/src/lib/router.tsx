/** A small history router: the path is the state; links push it; the server answers index.html for any. */
import { createContext, type MouseEvent, type ReactNode, useContext, useEffect, useState } from "react";

const RouteContext = createContext<{ path: string; search: string }>({ path: "/", search: "" });

export function navigate(to: string, replace = false): void {
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

const read = () => ({ path: window.location.pathname, search: window.location.search });

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener("popstate", update);
    return () => window.removeEventListener("popstate", update);
  }, []);
  return <RouteContext.Provider value={location}>{children}</RouteContext.Provider>;
}

export const useLocation = () => useContext(RouteContext);

export function useQuery(): URLSearchParams {
  return new URLSearchParams(useLocation().search);
}

/** `match("/processes/:id", "/processes/7")` -> `{ id: "7" }`; undefined when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.replace(/\/+$/, "").split("/");
  const a = path.replace(/\/+$/, "").split("/");
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(":")) params[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return undefined;
  }
  return params;
}

export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  "aria-current"?: "page" | undefined;
}) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} onClick={onClick} className={props.className} aria-current={props["aria-current"]}>
      {props.children}
    </a>
  );
}

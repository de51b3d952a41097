/**
 * The process log, live over Server-Sent Events (`/output?follow=true`): the whole log so far, then each new
 * line until the process ends. Follow keeps the newest line in view; Pause freezes the view while lines still
 * arrive; search shows only the lines that contain the text.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { formatCount } from "../lib/format.ts";

/** Lines kept in the page; the whole log stays downloadable from the files. */
const MAX_LINES = 20_000;

/** A line with its number in the log (its identity in the list). */
interface Line {
  readonly n: number;
  readonly text: string;
}

export function LogView({ processId, logHref }: { processId: number; logHref?: string }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [dropped, setDropped] = useState(0);
  const [state, setState] = useState<"connecting" | "live" | "ended" | "error">("connecting");
  const [paused, setPaused] = useState<Line[] | undefined>();
  const [search, setSearch] = useState("");
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setLines([]);
    setDropped(0);
    setState("connecting");
    let pending: Line[] = [];
    let seq = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const add = pending;
      pending = [];
      setLines((old) => {
        const all = old.concat(add);
        if (all.length <= MAX_LINES) return all;
        setDropped((d) => d + all.length - MAX_LINES);
        return all.slice(all.length - MAX_LINES);
      });
    };
    const source = new EventSource(`/api/system/processes/${processId}/output?follow=true`);
    source.addEventListener("open", () => setState("live"));
    source.addEventListener("log", (e) => {
      pending.push({ n: seq++, text: (e as MessageEvent<string>).data });
      timer ??= setTimeout(flush, 100);
    });
    source.addEventListener("end", () => {
      source.close();
      clearTimeout(timer);
      flush();
      setState("ended");
    });
    source.addEventListener("error", (e) => {
      // An `error` event from the server carries a detail; the browser's own means the connection dropped
      // (EventSource reconnects and resumes at the last line by itself).
      if ((e as MessageEvent).data) {
        source.close();
        setState("error");
      }
    });
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [processId]);

  const shown = paused ?? lines;
  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return needle ? shown.filter((l) => l.text.toLowerCase().includes(needle)) : shown;
  }, [shown, search]);

  // Following: the newest line stays in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll after each new batch of lines
  useEffect(() => {
    if (!paused && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [visible, paused]);

  const needle = search.trim();
  return (
    <section aria-labelledby="log-h" className="log">
      <div className="section-head">
        <h2 id="log-h">Log</h2>
        <span className={`live-state ${state}`} role="status">
          {state === "live"
            ? "live"
            : state === "ended"
              ? "complete"
              : state === "error"
                ? "stream failed"
                : "connecting…"}
        </span>
        <div className="log-tools">
          <label htmlFor="log-search" className="visually-hidden">
            Search the log
          </label>
          <input
            id="log-search"
            type="search"
            placeholder="Search the log"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          {state !== "ended" && (
            <button
              type="button"
              className="secondary"
              aria-pressed={paused !== undefined}
              onClick={() => setPaused(paused ? undefined : lines)}
            >
              {paused ? "Follow" : "Pause"}
            </button>
          )}
          {logHref && (
            <a className="button secondary" href={logHref} download>
              Download log
            </a>
          )}
        </div>
      </div>
      {paused && lines.length > paused.length && (
        <p className="muted">Paused: {formatCount(lines.length - paused.length)} new lines not shown.</p>
      )}
      {dropped > 0 && (
        <p className="muted">
          The first {formatCount(dropped)} lines are not shown here; download the log for all.
        </p>
      )}
      {/* A scrolling region must be reachable by keyboard: role log, focusable. */}
      <pre ref={box} className="log-lines" role="log" aria-label="Process log" data-testid="log">
        {visible.map((line) => (
          <span
            key={line.n}
            className={`line ${/\bERROR\b/.test(line.text) ? "lvl-error" : /\bWARN\b/.test(line.text) ? "lvl-warn" : ""}`}
          >
            {needle ? highlight(line.text, needle) : line.text}
            {"\n"}
          </span>
        ))}
      </pre>
      {needle && (
        <p className="muted" aria-live="polite">
          {formatCount(visible.length)} matching line{visible.length === 1 ? "" : "s"}
        </p>
      )}
    </section>
  );
}

function highlight(line: string, needle: string) {
  const parts: React.ReactNode[] = [];
  const lower = line.toLowerCase();
  const n = needle.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, at)) {
    parts.push(line.slice(at, i), <mark key={i}>{line.slice(i, i + n.length)}</mark>);
    at = i + n.length;
  }
  parts.push(line.slice(at));
  return parts;
}

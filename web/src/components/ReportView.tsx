/**
 * The report of a batch: counts by outcome (summary.json, else counted from report.csv), the failed and
 * unknown rows as a filterable table (report.csv), and the most frequent error codes (error_code).
 */
import { useMemo, useState } from "react";
import { csvRecords } from "../lib/csv.ts";
import { contentPath, fileText } from "../lib/files.ts";
import { formatCount } from "../lib/format.ts";
import { usePoll } from "../lib/hooks.ts";
import type { ProcessFile } from "../lib/types.ts";
import { BarChart } from "./BarChart.tsx";
import { TableWrap } from "./TableWrap.tsx";

/** Above this a report.csv is not read into the page (the counts still come from summary.json). */
const MAX_REPORT_BYTES = 30 * 1024 * 1024;
const MAX_ROWS_SHOWN = 500;
const OUTCOMES = ["ok", "skipped", "failed", "unknown"] as const;

interface Summary {
  readonly total?: number;
  readonly byOutcome?: Record<string, number>;
  readonly byCode?: Record<string, number>;
}

interface Props {
  readonly report?: ProcessFile;
  readonly summary?: ProcessFile;
  readonly failures?: ProcessFile;
  /** Changes when the files may have changed (the process ended). */
  readonly version: string;
}

export function ReportView({ report, summary, failures, version }: Props) {
  const loaded = usePoll(
    async (signal) => {
      const s = summary ? (JSON.parse(await fileText(summary, signal)) as Summary) : undefined;
      const tooBig = report && (report.sizeBytes ?? 0) > MAX_REPORT_BYTES;
      const rows = report && !tooBig ? csvRecords(await fileText(report, signal)) : undefined;
      return { summary: s, rows, tooBig };
    },
    null,
    [report?.id, summary?.id, version],
  );
  const [outcome, setOutcome] = useState<"" | "failed" | "unknown">("");
  const [text, setText] = useState("");
  const data = loaded.data;
  const problems = useMemo(
    () => data?.rows?.filter((r) => r.outcome === "failed" || r.outcome === "unknown") ?? [],
    [data],
  );
  const codeOf = (r: Record<string, string>) => r.error_code ?? r.oclc_code ?? "";
  const filtered = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return problems.filter(
      (r) =>
        (!outcome || r.outcome === outcome) &&
        (!needle || Object.values(r).some((v) => v.toLowerCase().includes(needle))),
    );
  }, [problems, outcome, text]);
  if (!report && !summary) return null;
  if (loaded.error) return <p className="error">The report could not be read: {loaded.error.message}</p>;
  if (!data) return <p className="loading">Reading the report…</p>;

  const byOutcome: Record<string, number> = { ...(data.summary?.byOutcome ?? {}) };
  if (!data.summary?.byOutcome && data.rows)
    for (const r of data.rows) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
  const byCode: Record<string, number> = { ...(data.summary?.byCode ?? {}) };
  if (!data.summary?.byCode)
    for (const r of problems) if (codeOf(r)) byCode[codeOf(r)] = (byCode[codeOf(r)] ?? 0) + 1;
  const topCodes = Object.entries(byCode)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  const columns = data.rows?.[0] ? Object.keys(data.rows[0]) : [];

  return (
    <section aria-labelledby="report-h" className="report">
      <h2 id="report-h">Report</h2>
      <div className="report-grid">
        <div>
          <h3>Items by outcome</h3>
          <BarChart
            title="Items by outcome"
            bars={OUTCOMES.map((o) => ({ label: o, value: byOutcome[o] ?? 0, className: `bar-${o}` }))}
          />
        </div>
        <div>
          <h3>Top error codes</h3>
          {topCodes.length ? (
            <table className="codes">
              <caption className="visually-hidden">Most frequent error codes</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Items</th>
                </tr>
              </thead>
              <tbody>
                {topCodes.map(([code, n]) => (
                  <tr key={code}>
                    <td>
                      <code>{code}</code>
                    </td>
                    <td>{formatCount(n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No error codes.</p>
          )}
        </div>
      </div>
      <h3>Failed and unknown items</h3>
      {failures && (
        <p>
          <a className="button secondary" href={contentPath(failures)} download>
            Download the failures file ({failures.name})
          </a>
        </p>
      )}
      {data.tooBig && (
        <p className="muted">
          The report is too large to show here:{" "}
          <a href={report ? contentPath(report) : "#"}>download report.csv</a>.
        </p>
      )}
      {data.rows && !problems.length && <p className="muted">No item failed.</p>}
      {problems.length > 0 && (
        <>
          <div className="filter-row">
            <div className="field">
              <label htmlFor="report-outcome">Outcome</label>
              <select
                id="report-outcome"
                value={outcome}
                onChange={(e) => setOutcome(e.target.value as typeof outcome)}
              >
                <option value="">failed and unknown</option>
                <option value="failed">failed</option>
                <option value="unknown">unknown</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="report-filter">Contains</label>
              <input
                id="report-filter"
                type="search"
                value={text}
                onChange={(e) => setText(e.target.value)}
                placeholder="number, code or message"
              />
            </div>
          </div>
          <p className="muted" aria-live="polite">
            {formatCount(filtered.length)} of {formatCount(problems.length)} items
            {filtered.length > MAX_ROWS_SHOWN ? ` (the first ${MAX_ROWS_SHOWN} shown)` : ""}
          </p>
          <TableWrap label="Failed and unknown items">
            <table className="report-rows">
              <caption className="visually-hidden">Failed and unknown items</caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th scope="col" key={c}>
                      {c.replace(/_/g, " ")}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {filtered.slice(0, MAX_ROWS_SHOWN).map((r) => (
                  <tr key={`${r.position ?? r.line}-${r.input_id}`}>
                    {columns.map((c) => (
                      <td key={c}>{r[c]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

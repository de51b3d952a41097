/**
 * /metrics: processes by status and the queue depth (read from the store at scrape time, so they count
 * every worker's processes), durations of processes that ended in this OS process, HTTP responses.
 * Every sample carries a `node` label, this server's name (config `nodeName`, default host:pid), so that the
 * servers of a cluster scraped side by side are told apart; `nightshift_node_info` maps it to the worker id.
 */
import type { EngineEmitter } from "../../engine/events.js";
import { countProcessesByStatus, countQueue } from "../../store/queries/process-counts.js";
import { firingCounts } from "../../store/queries/schedule-firings.js";
import { isoTime, type Store } from "../../store/store.js";
import { Histogram, type Labels, family as plainFamily } from "./prometheus.js";

const STATUSES = ["SCHEDULED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;
const DURATION_BUCKETS = [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400];

export interface ServerMetrics {
  countResponse(method: string, status: number): void;
  /** An inbound trigger event: accepted (a new process), repeated (the first one's) or refused. */
  countTrigger(trigger: string, result: "accepted" | "repeated" | "refused"): void;
  render(store: Store, now: number): Promise<string>;
  /** Stops listening to the engine. */
  close(): void;
}

export interface NodeIdentity {
  /** The node's name (config `nodeName`). */
  readonly node: string;
  /** The worker id of its engine (what `processes.worker_id` says of the processes it runs). */
  readonly workerId: string;
}

export function createServerMetrics(
  events: EngineEmitter,
  identity: NodeIdentity = { node: "", workerId: "" },
): ServerMetrics {
  const family: typeof plainFamily = (name, type, help, samples) =>
    plainFamily(
      name,
      type,
      help,
      samples.map((s) => ({ ...s, labels: { ...s.labels, node: identity.node } as Labels })),
    );
  const durations = new Histogram(DURATION_BUCKETS);
  const responses = new Map<string, number>();
  const triggerEvents = new Map<string, number>();
  const off = events.on("process:finished", ({ process }) => {
    if (!process.startedAt || !process.finishedAt) return;
    const seconds = (Date.parse(process.finishedAt) - Date.parse(process.startedAt)) / 1000;
    durations.observe({ script: process.script, status: process.status }, Math.max(0, seconds));
  });
  return {
    countResponse(method, status) {
      const key = `${method} ${status}`;
      responses.set(key, (responses.get(key) ?? 0) + 1);
    },
    countTrigger(trigger, result) {
      const key = `${trigger}\u0000${result}`;
      triggerEvents.set(key, (triggerEvents.get(key) ?? 0) + 1);
    },
    async render(store, now) {
      const [byStatus, queue, firings] = await Promise.all([
        countProcessesByStatus(store.db),
        countQueue(store.db, isoTime(now)),
        firingCounts(store.db),
      ]);
      return [
        family("nightshift_node_info", "gauge", "This node: its name and its worker id", [
          { labels: { worker: identity.workerId }, value: 1 },
        ]),
        family(
          "nightshift_processes",
          "gauge",
          "Processes in the store by status",
          STATUSES.map((status) => ({ labels: { status }, value: byStatus.get(status) ?? 0 })),
        ),
        family("nightshift_queue_depth", "gauge", "SCHEDULED processes that are due to run", [
          { value: queue.due },
        ]),
        family("nightshift_processes_delayed", "gauge", "SCHEDULED processes waiting for their runAt", [
          { value: queue.delayed },
        ]),
        family(
          "nightshift_process_duration_seconds",
          "histogram",
          "Run time of processes that ended in this server (started to finished)",
          durations.samples(),
        ),
        family(
          "nightshift_schedule_firings_total",
          "counter",
          "Slots of schedules in the firing ledger (every instance's), by kind: fired, skipped, queued, missed",
          firings.map((f) => ({ labels: { schedule: f.schedule, kind: f.kind }, value: f.n })),
        ),
        family(
          "nightshift_schedule_missed_slots_total",
          "counter",
          "Slots missed while every instance was down (catch-up skip: not run; once: one run for them)",
          firings
            .filter((f) => f.missed > 0)
            .map((f) => ({ labels: { schedule: f.schedule, kind: f.kind }, value: f.missed })),
        ),
        family(
          "nightshift_trigger_events_total",
          "counter",
          "Inbound trigger events received by this server: accepted, repeated (answered with the first process) or refused",
          [...triggerEvents].map(([key, value]) => {
            const [trigger, result] = key.split("\u0000");
            return { labels: { trigger, result }, value };
          }),
        ),
        family(
          "nightshift_http_responses_total",
          "counter",
          "HTTP responses by method and status",
          [...responses].map(([key, value]) => {
            const [method, status] = key.split(" ");
            return { labels: { method, status }, value };
          }),
        ),
      ].join("");
    },
    close: off,
  };
}

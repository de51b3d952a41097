/** Schedules over REST: /api/system/schedules (list, create, change, delete, run, next). */
import { getJson, isMissingRoute, sendJson } from "./api.ts";
import type { Page, Process } from "./types.ts";

export interface Schedule {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly cron: string;
  readonly timezone: string;
  readonly account: string | null;
  readonly overlap: string;
  readonly catchUp: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly source: string;
  readonly readOnly: boolean;
  readonly nextRuns: readonly string[];
  readonly lastProcess: {
    id: number;
    status: Process["processStatus"];
    scheduledFor?: string | null;
    finishedAt?: string | null;
    outcome?: string | null;
  } | null;
}

export interface NewSchedule {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly cron: string;
  readonly timezone: string;
  readonly account?: string;
  readonly overlap?: string;
  readonly catchUp?: string;
  readonly enabled?: boolean;
}

/** The schedules, or null when the server has none (no endpoint). */
export async function listSchedules(signal?: AbortSignal): Promise<Schedule[] | null> {
  try {
    const body = await getJson<Page<"schedules", Schedule>>("/api/system/schedules?size=1000", signal);
    return body._embedded.schedules ?? [];
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
}

const path = (name: string) => `/api/system/schedules/${encodeURIComponent(name)}`;

export const createSchedule = (s: NewSchedule) => sendJson<Schedule>("POST", "/api/system/schedules", s);
export const changeSchedule = (name: string, change: Partial<NewSchedule>) =>
  sendJson<Schedule>("PATCH", path(name), change);
export const deleteSchedule = (name: string) => sendJson("DELETE", path(name));
export const runSchedule = (name: string) => sendJson<Process>("POST", `${path(name)}/run`);
export const scheduleNext = (name: string, count = 5) =>
  getJson<{ times: string[] }>(`${path(name)}/next?count=${count}`);

import { EngineError } from "../engine/errors.js";
import { defineScript } from "../engine/script.js";
import "../engine/services.js";

const DAY_MS = 86_400_000;

/**
 * Deletes finished processes (COMPLETED, FAILED, CANCELLED) and their files older than N days.
 * SCHEDULED and RUNNING processes are never deleted: queued work is kept, whatever its age.
 */
export const processCleaner = defineScript({
  name: "process-cleaner",
  freesDiskSpace: true,
  description: "Deletes finished processes and their files older than N days",
  maxConcurrent: 1,
  parameters: [
    {
      name: "-d",
      nameLong: "--days",
      type: "integer",
      default: 14,
      description: "age in days (by creation time)",
    },
    {
      name: "-n",
      nameLong: "--dry-run",
      type: "boolean",
      description: "list what would be deleted, delete nothing",
    },
  ],
  async run(ctx) {
    const processes = ctx.services.processes;
    if (!processes) throw new EngineError("process-cleaner needs the process service");
    const days = Number(ctx.params.days);
    if (!Number.isInteger(days) || days < 0) throw new EngineError(`--days must be 0 or more, got ${days}`);
    const dryRun = ctx.params.dryRun === true;
    const before = new Date(Date.now() - days * DAY_MS).toISOString();
    ctx.log.info(`${dryRun ? "would delete" : "deleting"} finished processes created before ${before}`);
    const ids = await findOld(processes, before, ctx.processId);
    let done = 0;
    for (const { id, script, status, createdAt } of ids) {
      ctx.signal.throwIfAborted();
      if (!dryRun) await processes.deleteProcess(id);
      ctx.log.info(
        `${dryRun ? "would delete" : "deleted"} process ${id} (${script}, ${status}, created ${createdAt})`,
      );
      ctx.progress(++done, ids.length);
    }
    ctx.log.info(`${dryRun ? "would delete" : "deleted"} ${ids.length} process(es)`);
    return { summary: { [dryRun ? "wouldDelete" : "deleted"]: ids.length, before, dryRun } };
  },
});

async function findOld(
  processes: NonNullable<import("../engine/script.js").ScriptServices["processes"]>,
  before: string,
  self: number,
) {
  const found = [];
  for (let page = 0; ; page++) {
    const { items } = await processes.listProcesses({
      status: ["COMPLETED", "FAILED", "CANCELLED"],
      createdBefore: before,
      sort: { field: "id", direction: "asc" },
      page,
      size: 500,
    });
    found.push(...items.filter((p) => p.id !== self));
    if (items.length < 500) return found;
  }
}

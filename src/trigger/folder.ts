/**
 * The folder trigger: a watched inbox. Each new file, once complete (size and time unchanged for the settle
 * time, or renamed from `*.part`), starts one process with the file as its `--input`; when the process ends
 * the file moves to `processed/` (COMPLETED) or `failed/` beside it (also when no process could be made).
 * The file's identity (name, size, time, inode) is recorded with its process in one transaction, unique per
 * trigger: any number of instances watching one inbox, and restarts, never start a file twice; a file still
 * in the inbox after a restart is looked at again, so none is forgotten.
 */
import { mkdir, readdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Engine } from "../engine/engine.js";
import { ParameterError, parseArgv } from "../engine/parameters.js";
import { isFinished } from "../engine/process-record.js";
import { coerceError } from "../errors.js";
import { findTriggerEvent, insertTriggerEvent } from "../store/queries/trigger-events.js";
import { isoTime } from "../store/store.js";
import type { TriggerDefinition } from "./definition.js";

export type FolderEngine = Pick<Engine, "store" | "service" | "clock" | "scripts" | "events">;

export interface FolderWatcher {
  /** Looks at the inbox once (tests call it; the timer calls it every `pollMs`). */
  scan(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

const SKIP = /^\.|\.part$/;

export function createFolderWatcher(
  engine: FolderEngine,
  trigger: TriggerDefinition,
  options: { pollMs?: number; onFile?: (file: string, what: string) => void } = {},
): FolderWatcher {
  const inbox = trigger.folder as string;
  const seen = new Map<string, Seen>();
  let parts = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const told = (file: string, what: string) => options.onFile?.(file, what);

  async function scan() {
    const now = engine.clock.now();
    const entries = await readdir(inbox, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return [];
      throw err;
    });
    const partsNow = new Set(
      entries.filter((e) => e.isFile() && e.name.endsWith(".part")).map((e) => e.name),
    );
    for (const entry of entries) {
      if (!entry.isFile() || SKIP.test(entry.name)) continue;
      const path = join(inbox, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      const key = `file:${entry.name}:${info.size}:${Math.round(info.mtimeMs)}:${info.ino}`;
      const event = await findTriggerEvent(engine.store.db, trigger.name, key);
      if (event) {
        await settle(entry.name, event.process_id);
        continue;
      }
      const before = seen.get(entry.name);
      const changed = !before || before.size !== info.size || before.mtimeMs !== info.mtimeMs;
      if (changed) seen.set(entry.name, { size: info.size, mtimeMs: info.mtimeMs, since: now });
      const renamed = parts.has(`${entry.name}.part`) && !partsNow.has(`${entry.name}.part`);
      const settled = !changed && now - (before?.since ?? now) >= trigger.settleMs;
      if (renamed || settled) await start(entry.name, key);
    }
    parts = partsNow;
    for (const name of seen.keys()) if (!entries.some((e) => e.name === name)) seen.delete(name);
  }

  /** One process for the file, recorded with its identity; a bad file goes to failed/ at once. */
  async function start(name: string, key: string) {
    const script = engine.scripts.require(trigger.script);
    let parameters: ReturnType<typeof parseArgv>;
    try {
      parameters = parseArgv(script, [...trigger.args, "--input", name]);
    } catch (err) {
      if (!(err instanceof ParameterError)) throw err;
      const recorded = await engine.store.write((db) =>
        insertTriggerEvent(db, trigger.name, key, null, isoTime(engine.clock.now())),
      );
      if (recorded) told(name, `refused: ${err.message}`);
      await move(name, "failed");
      return;
    }
    try {
      const p = await engine.service.createProcess({
        script: script.name,
        parameters,
        startedBy: { source: "trigger", trigger: trigger.name },
        priority: trigger.priority,
        account: trigger.account,
        uploads: [{ name, path: join(inbox, name) }],
        inTransaction: async (db, row) => {
          if (!(await insertTriggerEvent(db, trigger.name, key, row.id, isoTime(engine.clock.now()))))
            throw new Taken();
        },
      });
      seen.delete(name);
      told(name, `process ${p.id}`);
    } catch (err) {
      if (!(err instanceof Taken)) throw err;
    }
  }

  /** A file whose process has ended moves to processed/ or failed/. */
  async function settle(name: string, processId: number | null) {
    const p = processId === null ? undefined : await engine.service.getProcess(processId);
    if (p && !isFinished(p.status)) return;
    await move(name, p?.status === "COMPLETED" ? "processed" : "failed");
  }

  async function move(name: string, to: "processed" | "failed") {
    await mkdir(join(inbox, to), { recursive: true });
    try {
      await rename(join(inbox, name), join(inbox, to, name));
      told(name, `moved to ${to}/`);
    } catch (err) {
      // another instance moved it first
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }

  function loop() {
    if (stopped) return;
    running = scan()
      .catch((err) =>
        engine.events.emit("engine:error", { error: coerceError(err), context: `trigger ${trigger.name}` }),
      )
      .then(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(loop, options.pollMs ?? 1000);
      });
  }

  return {
    scan,
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

class Taken extends Error {}

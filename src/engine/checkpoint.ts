import { readCheckpoint, saveCheckpoint } from "../store/queries/checkpoint.js";
import type { Store } from "../store/store.js";
import { ProcessNotOwnedError } from "./errors.js";
import type { Checkpoint } from "./script.js";

/**
 * A process's checkpoint on its row. `get()` falls back to the checkpoint of the process it resumes from,
 * so a process started with `resumedFrom` picks up where that one stopped. With `workerId`, `save()` works only
 * while the process runs on that worker, and throws ProcessNotOwnedError otherwise.
 */
export function createCheckpoint(store: Store, processId: number, workerId?: string): Checkpoint {
  const read = async <T>(id: number): Promise<{ value: T | undefined; resumedFrom: number | null }> => {
    const row = await readCheckpoint(store.db, id);
    return {
      value: row?.checkpoint == null ? undefined : (JSON.parse(row.checkpoint) as T),
      resumedFrom: row?.resumed_from ?? null,
    };
  };
  return Object.freeze({
    async get<T>() {
      const own = await read<T>(processId);
      if (own.value !== undefined || own.resumedFrom === null) return own.value;
      return (await read<T>(own.resumedFrom)).value;
    },
    async save(state: unknown) {
      const json = JSON.stringify(state ?? null);
      // A script that ignored its abort and goes on after its process ended (or moved to another worker)
      // must not move the checkpoint a resumed process starts from.
      const saved = await store.write((db) => saveCheckpoint(db, processId, json, workerId));
      if (!saved) throw new ProcessNotOwnedError(processId);
    },
    async of<T>(id: number) {
      return (await read<T>(id)).value;
    },
  });
}

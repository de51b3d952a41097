import { join } from "node:path";
import type { Readable } from "node:stream";
import { readCheckpoint, saveCheckpoint } from "../store/queries/checkpoint.js";
import { recordKeptFile } from "../store/queries/process-files.js";
import { type Db, isoTime, type Store } from "../store/store.js";
import type { OutputFile } from "./context.js";
import { ProcessNotOwnedError } from "./errors.js";
import type { FileStore } from "./file-store.js";
import type { Checkpoint, KeptOutput } from "./script.js";

/** What a checkpoint needs to keep outputs with its saves (the runner's; absent, `keep` is refused). */
export interface CheckpointFiles {
  readonly files: FileStore;
  readonly dataDir: string;
  /** The outputs the script created (`ctx.output`), where a kept one is looked up by its path. */
  readonly outputs: readonly OutputFile[];
  /** The relative paths of the kept outputs: filled by `keep`, read by finalize (which stores them by `sync`). */
  readonly kept: Set<string>;
  readonly now: () => number;
}

/** A kept output's name: a process file's relative path, nothing that could leave the data directory. */
const KEPT_NAME = /^processes\/\d+\/files\/[A-Za-z0-9._-]+$/;

/**
 * A process's checkpoint on its row. `get()` falls back to the checkpoint of the process it resumes from,
 * so a process started with `resumedFrom` picks up where that one stopped. With `workerId`, `save()` works only
 * while the process runs on that worker, and throws ProcessNotOwnedError otherwise. Kept outputs are stored
 * (PostgreSQL) and listed in the transaction of each save, before the state that counts on them.
 */
export function createCheckpoint(
  store: Store,
  processId: number,
  workerId?: string,
  kept?: CheckpointFiles,
): Checkpoint {
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
      // must not move the checkpoint a resumed process starts from: thrown inside, so nothing is stored.
      await store.write(async (db) => {
        if (kept) await storeKept(db, processId, kept);
        if (!(await saveCheckpoint(db, processId, json, workerId))) throw new ProcessNotOwnedError(processId);
      });
    },
    async of<T>(id: number) {
      return (await read<T>(id)).value;
    },
    keep(outputPath: string): KeptOutput {
      const output = kept?.outputs.find((o) => join(kept.dataDir, o.path) === outputPath);
      if (!kept || !output) throw new Error(`${outputPath} is not an output of process ${processId}`);
      kept.kept.add(output.path);
      return { name: output.path, live: kept.files.kind === "directory" };
    },
    read(name: string): Readable {
      if (!KEPT_NAME.test(name)) throw new Error(`not a kept output's name: ${JSON.stringify(name)}`);
      if (!kept) throw new Error(`process ${processId} has no file store to read ${name} from`);
      return kept.files.read(name);
    },
  });
}

/** Makes what the kept outputs hold now readable by any node, and lists them with the size stored. */
async function storeKept(db: Db, processId: number, k: CheckpointFiles): Promise<void> {
  const paths = [...k.kept];
  for (const path of paths) {
    const output = k.outputs.find((o) => o.path === path);
    if (!output) continue;
    const size = await k.files.sync(db, processId, path, join(k.dataDir, path));
    await recordKeptFile(db, {
      processId,
      type: output.type,
      name: output.name,
      path,
      size,
      createdAt: isoTime(k.now()),
      keptPaths: paths,
    });
  }
}

/**
 * Reads the multipart body of a process start: one `properties` part (JSON array), an optional `runAt`
 * part, and repeated `file` parts streamed to a private temporary directory. Nothing here trusts a file
 * name: names with path parts are refused, names on disk are generated.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import type { Upload } from "../engine/files.js";
import { ApiError, MalformedRequestError, PayloadTooLargeError } from "./errors.js";

export interface StartBody {
  /** The parsed `properties` JSON (checked by the caller). */
  readonly properties: unknown;
  readonly runAt?: unknown;
  readonly uploads: readonly Upload[];
}

export interface ReceivedStart extends StartBody {
  /** Removes the temporary files (always call it). */
  cleanup(): Promise<void>;
}

/** How many parts a start may have, and how big a non-file part may be (the server registers these). */
export const PART_LIMITS = { files: 100, fields: 20, parts: 200 } as const;
export const FIELD_LIMIT_BYTES = 1024 * 1024;

const isControl = (c: string) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127;
/** The name with control characters shown as `?` (safe to echo in a message). */
const printable = (name: string) => [...name].map((c) => (isControl(c) ? "?" : c)).join("");

/** Refuses names that could mean a path: separators, `..`, control characters, or empty. */
export function checkUploadName(name: string | undefined): string {
  if (!name || name.trim() === "") throw new MalformedRequestError("a 'file' part has no file name");
  if (
    name.length > 255 ||
    /[/\\]/.test(name) ||
    [...name].some(isControl) ||
    name === "." ||
    name.includes("..")
  ) {
    throw new MalformedRequestError(
      `unsafe file name '${printable(name)}': names may not contain path separators, '..' or control characters`,
      [{ parameter: "file", message: `unsafe file name '${printable(name)}'` }],
    );
  }
  return name;
}

function parseJsonPart(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MalformedRequestError(`part '${name}' is not valid JSON: ${(err as Error).message}`, [
      { parameter: name, message: "not valid JSON" },
    ]);
  }
}

/** A user's upload quota (limits.uploadBytes): bytes still free, and the error once a body passes them. */
export interface UploadQuota {
  readonly freeBytes: number;
  exceeded(bodyBytes: number): Error;
}

function counter(limitBytes: number, total: { bytes: number }, quota?: UploadQuota) {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total.bytes += chunk.length;
      if (total.bytes > limitBytes) done(new PayloadTooLargeError(limitBytes));
      else if (quota && total.bytes > quota.freeBytes) done(quota.exceeded(total.bytes));
      else done(null, chunk);
    },
  });
}

export async function receiveMultipartStart(
  request: FastifyRequest,
  tempRoot: string,
  limitBytes: number,
  quota?: UploadQuota,
): Promise<ReceivedStart> {
  const dir = join(tempRoot, randomBytes(9).toString("hex"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const uploads: Upload[] = [];
  const total = { bytes: 0 };
  let properties: unknown;
  let sawProperties = false;
  let runAt: unknown;
  let sawRunAt = false;
  try {
    for await (const part of request.parts()) {
      if (part.type === "field") {
        if (part.valueTruncated)
          throw new PayloadTooLargeError(
            `part '${part.fieldname}' is larger than ${FIELD_LIMIT_BYTES} bytes (the limit of a non-file part)`,
          );
        const value = typeof part.value === "string" ? part.value : JSON.stringify(part.value);
        if (part.fieldname === "properties") {
          if (sawProperties) throw new MalformedRequestError("more than one 'properties' part");
          sawProperties = true;
          properties = typeof part.value === "string" ? parseJsonPart("properties", value) : part.value;
        } else if (part.fieldname === "runAt") {
          if (sawRunAt) throw new MalformedRequestError("more than one 'runAt' part");
          sawRunAt = true;
          runAt = value;
        } else {
          throw new MalformedRequestError(
            `unexpected part '${part.fieldname}': send 'properties', optionally 'runAt', and 'file' parts`,
          );
        }
        continue;
      }
      if (part.fieldname !== "file") {
        part.file.resume();
        throw new MalformedRequestError(
          `unexpected file part '${part.fieldname}': uploads go in 'file' parts`,
        );
      }
      let name: string;
      try {
        name = checkUploadName(part.filename);
        if (uploads.some((u) => u.name === name))
          throw new MalformedRequestError(`file '${name}' is uploaded twice: file names must be unique`, [
            { parameter: "file", message: `duplicate file name '${name}'` },
          ]);
      } catch (err) {
        part.file.resume();
        throw err;
      }
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, `${uploads.length}.upload`);
      await pipeline(part.file, counter(limitBytes, total, quota), createWriteStream(path, { mode: 0o600 }));
      if (part.file.truncated) throw new PayloadTooLargeError(limitBytes);
      uploads.push({ name, path });
    }
  } catch (err) {
    await cleanup();
    const code = (err as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE") throw new PayloadTooLargeError(limitBytes);
    if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT")
      throw new PayloadTooLargeError(
        `too many parts: at most ${PART_LIMITS.files} 'file' parts and ${PART_LIMITS.fields} other parts`,
      );
    // Our refusals and file-system failures pass; anything else is the body's fault (truncated, bad boundary).
    if (err instanceof ApiError || (err as { syscall?: string }).syscall) throw err;
    throw new MalformedRequestError(`cannot read the multipart body: ${(err as Error).message}`);
  }
  if (!sawProperties) {
    await cleanup();
    throw new MalformedRequestError("missing part 'properties' (a JSON array of {name, value})", [
      { parameter: "properties", message: "missing" },
    ]);
  }
  return { properties, runAt, uploads, cleanup };
}

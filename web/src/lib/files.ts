/** A process's files, and which of them is the report, the summary, the failures file and the log. */
import { getJson, pathOf, request } from "./api.ts";
import type { Page, ProcessFile } from "./types.ts";

export async function listFiles(processId: number, signal?: AbortSignal): Promise<ProcessFile[]> {
  const body = await getJson<Page<"files", ProcessFile>>(
    `/api/system/processes/${processId}/files?size=1000`,
    signal,
  );
  return body._embedded.files ?? [];
}

/** The file's type: `fileType`, or DSpace's `dspace.process.filetype` metadata. */
export function fileTypeOf(f: ProcessFile): string {
  return f.fileType ?? f.metadata?.["dspace.process.filetype"]?.[0]?.value ?? "";
}

export function findFiles(files: readonly ProcessFile[]) {
  const byName = (test: (name: string) => boolean) => files.find((f) => test(f.name));
  return {
    report:
      byName((n) => n === "report.csv") ??
      files.find((f) => fileTypeOf(f) === "report" && f.name.endsWith(".csv")),
    summary: byName((n) => n === "summary.json"),
    failures: files.find((f) => fileTypeOf(f) === "failures") ?? byName((n) => n.startsWith("failures.")),
    log: files.find((f) => fileTypeOf(f) === "log" || fileTypeOf(f) === "script_output"),
  };
}

export const contentPath = (f: ProcessFile) => pathOf(f._links.content.href);

export async function fileText(f: ProcessFile, signal?: AbortSignal): Promise<string> {
  return (await request(contentPath(f), { accept: "*/*", signal })).text();
}

export async function fileBlob(f: ProcessFile): Promise<Blob> {
  return (await request(contentPath(f), { accept: "*/*" })).blob();
}

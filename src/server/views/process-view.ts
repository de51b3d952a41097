/** A process as the contract shows it (HAL), plus Nightshift's additions. */
import { type ProcessFile, type ProcessRecord, statusText } from "../../engine/process-record.js";
import { fileUuid } from "./file-uuid.js";

/**
 * ```ts
 * processView(record, "http://localhost:8080")
 * // { processId: 7, userId, scriptName, startTime, endTime, creationTime, processStatus, parameters, ..., _links }
 * ```
 */
export function processView(p: ProcessRecord, origin: string) {
  const self = `${origin}/api/system/processes/${p.id}`;
  return {
    id: p.id,
    type: "process",
    processId: p.id,
    userId: p.userId,
    scriptName: p.script,
    startTime: p.startedAt,
    endTime: p.finishedAt,
    creationTime: p.createdAt,
    processStatus: p.status,
    /** ok | warnings | errors for a COMPLETED process (issue 17), with its counts; null otherwise. */
    outcome: p.outcome,
    outcomeCounts: p.outcomeCounts,
    /** `COMPLETED with errors: 7 of 24 failed` */
    statusText: statusText(p),
    /** As sent (DSpace echoes them so): `-d` stays `-d`, a flag sent with null stays null; secrets masked. */
    parameters: p.parametersAsSent,
    progress: p.progress,
    heartbeat: p.heartbeatAt,
    exitMessage: p.exitMessage,
    result: p.result,
    account: p.account,
    startedBy: p.startedBy,
    runAt: p.runAt,
    resumedFrom: p.resumedFrom,
    ...(p.schedule ? { schedule: p.schedule } : {}),
    ...(p.scheduledFor ? { scheduledFor: p.scheduledFor } : {}),
    ...(p.trigger ? { trigger: p.trigger } : {}),
    _links: {
      self: { href: self },
      script: { href: `${origin}/api/system/scripts/${encodeURIComponent(p.script)}` },
      output: { href: `${self}/output` },
      files: { href: `${self}/files` },
      filetypes: { href: `${self}/filetypes` },
    },
  };
}

/**
 * A file of a process, with the link to its bytes. Besides the contract's fields it carries what DSpace
 * clients read of a process file, a bitstream in DSpace (ProcessRestRepositoryIT getProcessFiles): `uuid`,
 * `type: "bitstream"`, and `metadata` with `dc.title` and `dspace.process.filetype`.
 */
export function fileView(f: ProcessFile, origin: string) {
  const base = `${origin}/api/system/processes/${f.processId}/files/${encodeURIComponent(f.type)}/${f.id}`;
  const uuid = fileUuid(f.processId, f.id);
  return {
    id: f.id,
    uuid,
    type: "bitstream",
    name: f.name,
    fileType: f.type,
    sizeBytes: f.size,
    checkSum: f.sha256 ? { checkSumAlgorithm: "SHA-256", value: f.sha256 } : null,
    metadata: {
      "dc.title": [{ value: f.name }],
      "dspace.process.filetype": [{ value: f.type }],
    },
    creationTime: f.createdAt,
    _links: {
      self: { href: base },
      content: { href: `${base}/content` },
      bitstream: { href: `${origin}/api/core/bitstreams/${uuid}/content` },
    },
  };
}

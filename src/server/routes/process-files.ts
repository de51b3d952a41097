/** Files of a process (uploads, log, outputs): paged lists, file types, and the bytes. */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ProcessFile } from "../../engine/process-record.js";
import { requireVisible } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { NotFoundError } from "../errors.js";
import { origin, pagedBody } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { type PagingQuery, pagingProperties, sortList, sortProperty } from "../paging.js";
import { parseFileUuid } from "../views/file-uuid.js";
import { fileView } from "../views/process-view.js";
import { idParams } from "./processes.js";

const typeParams = {
  type: "object",
  required: ["id", "type"],
  properties: {
    ...idParams.properties,
    type: { type: "string", description: "file type: inputfile (an upload), log, report, failures, ..." },
  },
} as const;
const contentParams = {
  type: "object",
  required: ["id", "type", "fileId"],
  properties: {
    ...typeParams.properties,
    fileId: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  },
} as const;
const FILE_SORT = {
  creationTime: (f: ProcessFile) => f.createdAt,
  name: (f: ProcessFile) => f.name,
  fileType: (f: ProcessFile) => f.type,
  sizeBytes: (f: ProcessFile) => f.size ?? -1,
} as const;
const pageQuery = {
  type: "object",
  properties: {
    page: pagingProperties.page,
    size: pagingProperties.size,
    sort: sortProperty(Object.keys(FILE_SORT)),
  },
} as const;

export function processFileRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const service = ctx.engine.service;
  const files = async (request: Parameters<typeof principalOf>[0], id: number, type?: string) => {
    requireVisible(principalOf(request), await service.getProcess(id), id);
    return service.listFiles(id, type);
  };
  const paged = (
    request: Parameters<typeof principalOf>[0],
    list: Awaited<ReturnType<typeof files>>,
    q: PagingQuery,
    name = "files",
  ) => {
    const base = origin(request);
    const sorted = sortList(list, q.sort, FILE_SORT);
    const items = sorted.slice(q.page * q.size, q.page * q.size + q.size).map((f) => fileView(f, base));
    return pagedBody(request, name, items, { page: q.page, size: q.size, total: list.length });
  };

  app.get<{ Params: { id: number }; Querystring: PagingQuery }>(
    "/api/system/processes/:id/files",
    {
      schema: { params: idParams, querystring: pageQuery },
      config: {
        openapi: {
          summary: "The files of a process, each with its file type",
          tags: ["files"],
          responses: {
            "200": { description: "paged files", schema: ref("ProcessFilePage") },
            "403": "another user's process",
            "404": "no such process",
          },
        },
      },
    },
    async (request) => paged(request, await files(request, request.params.id), request.query),
  );

  app.get<{ Params: { id: number } }>(
    "/api/system/processes/:id/filetypes",
    {
      schema: { params: idParams },
      config: {
        openapi: {
          summary: "The file types present on a process",
          tags: ["files"],
          responses: {
            "200": { description: '{"id":"filetypes-<processId>","values":[...]}', schema: ref("FileTypes") },
            "403": "another user's process",
            "404": "no such process",
          },
        },
      },
    },
    async (request) => {
      const list = await files(request, request.params.id);
      // `filetypes-<processId>`, as DSpace answers (ProcessRestRepositoryIT getProcessFilesTypes).
      return {
        id: `filetypes-${request.params.id}`,
        type: "filetypes",
        values: [...new Set(list.map((f) => f.type))],
        _links: { self: { href: `${origin(request)}/api/system/processes/${request.params.id}/filetypes` } },
      };
    },
  );

  app.get<{ Params: { id: number; type: string }; Querystring: PagingQuery }>(
    "/api/system/processes/:id/files/:type",
    {
      schema: { params: typeParams, querystring: pageQuery },
      config: {
        openapi: {
          summary: "The files of one type, paged, as `_embedded.bitstreams` (as DSpace answers it)",
          tags: ["files"],
          responses: {
            "200": { description: "paged files of the type", schema: ref("BitstreamPage") },
            "403": "another user's process",
            "404": "no such process, or no file of that type",
          },
        },
      },
    },
    // DSpace answers the list of the files of the type (ProcessRestRepositoryIT getProcessFilesByFileType),
    // where the RestContract text speaks of one file: DSpace's clients read `_embedded.bitstreams`.
    async (request) => {
      const { id, type } = request.params;
      const list = await files(request, id, type);
      if (list.length === 0) throw new NotFoundError(`process ${id} has no file of type '${type}'`);
      return paged(request, list, request.query, "bitstreams");
    },
  );

  app.get<{ Params: { id: number; type: string; fileId: number } }>(
    "/api/system/processes/:id/files/:type/:fileId/content",
    {
      schema: { params: contentParams },
      config: {
        openapi: {
          summary: "The bytes of one file",
          tags: ["files"],
          responses: {
            "200": {
              description: "the file (a log as text/plain)",
              contentType: "application/octet-stream",
              schema: { type: "string" },
              alternatives: { "text/plain": { type: "string" } },
            },
            "403": "another user's process",
            "404": "no such process or file",
          },
        },
      },
    },
    async (request, reply) => {
      const { id, type, fileId } = request.params;
      const file = (await files(request, id, type)).find((f) => f.id === fileId);
      if (!file) throw new NotFoundError(`process ${id} has no ${type} file ${fileId}`);
      return sendContent(reply, id, file);
    },
  );

  app.get<{ Params: { uuid: string } }>(
    "/api/core/bitstreams/:uuid/content",
    {
      schema: { params: { type: "object", required: ["uuid"], properties: { uuid: { type: "string" } } } },
      config: {
        openapi: {
          summary: "The bytes of a process file by its uuid (DSpace's bitstream content; same permissions)",
          tags: ["files"],
          responses: {
            "200": {
              description: "the file (a log as text/plain)",
              contentType: "application/octet-stream",
              schema: { type: "string" },
              alternatives: { "text/plain": { type: "string" } },
            },
            "403": "another user's process",
            "404": "no such file",
          },
        },
      },
    },
    // DSpace clients fetch a process file as a bitstream (ProcessRestRepositoryIT getProcessFiles).
    async (request, reply) => {
      const ids = parseFileUuid(request.params.uuid);
      if (!ids) throw new NotFoundError(`no file with uuid '${request.params.uuid.slice(0, 40)}'`);
      const file = (await files(request, ids.processId)).find((f) => f.id === ids.fileId);
      if (!file) throw new NotFoundError(`no file with uuid '${request.params.uuid}'`);
      return sendContent(reply, ids.processId, file);
    },
  );

  async function sendContent(reply: FastifyReply, id: number, file: ProcessFile) {
    const opened = await service.openFile(id, file.id);
    const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, "_");
    return reply
      .type(file.type === "log" ? "text/plain; charset=utf-8" : "application/octet-stream")
      .header(
        "content-disposition",
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      )
      .header("x-content-type-options", "nosniff")
      .send(opened.stream());
  }
}

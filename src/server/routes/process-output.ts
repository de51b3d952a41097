/**
 * GET /api/system/processes/{id}/output: by default the log's file record (HAL JSON, file type
 * `script_output`, as DSpace answers; see output-negotiation.ts). With `Accept: text/plain` the process log
 * (`ISO-time LEVEL message` lines), readable while it runs. With `?follow=true` or `Accept: text/event-stream`
 * it streams Server-Sent Events: `log` events (one line each, `id` = byte offset, so `Last-Event-ID` resumes)
 * until the process ends, then one `end` event.
 */
import type { FastifyInstance } from "fastify";
import { NightshiftError } from "../../errors.js";
import { requireVisible } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { NotFoundError } from "../errors.js";
import { origin } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { openSse, type SseStream } from "../sse.js";
import { refuse, StreamCounter, UserLimitError } from "../user-limits.js";
import { outputAnswer, outputFileView } from "./output-negotiation.js";
import { idParams } from "./processes.js";

const outputQuery = {
  type: "object",
  properties: {
    follow: {
      type: "boolean",
      default: false,
      description: "stream Server-Sent Events until the process ends",
    },
    fromByte: {
      type: "integer",
      minimum: 0,
      default: 0,
      description: "start at this byte offset of the log",
    },
  },
} as const;

export function processOutputRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const service = ctx.engine.service;
  // Open streams end when the server closes: a follower of a queued process would hold close() forever.
  const open = new Set<SseStream>();
  const streams = new StreamCounter(ctx.engine.config.limits.logStreams);
  app.addHook("preClose", async () => {
    for (const stream of open) stream.end();
  });
  app.get<{ Params: { id: number }; Querystring: { follow: boolean; fromByte: number } }>(
    "/api/system/processes/:id/output",
    {
      schema: { params: idParams, querystring: outputQuery },
      config: {
        openapi: {
          summary:
            "The log's file record (file type script_output, as DSpace answers); the log itself with Accept: text/plain, live as Server-Sent Events with ?follow=true or Accept: text/event-stream",
          tags: ["processes"],
          responses: {
            "200": {
              description:
                "by default the log's file record (HAL JSON); with Accept: text/plain the log so far; with Accept: text/event-stream or ?follow=true an event stream",
              schema: ref("ProcessFile"),
              alternatives: {
                "text/plain": { type: "string", description: "the log so far; header X-Next-Byte" },
                "text/event-stream": {
                  type: "string",
                  description:
                    "events `log` (one line, id = next byte), then `end` {processId, processStatus}",
                },
              },
            },
            "403": "another user's process",
            "429": "a follow stream over the user's open log streams (limits.logStreams; Retry-After)",
            "404":
              "no such process, or (for the file record) a process whose log is not recorded yet: it has not ended",
          },
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      requireVisible(principalOf(request), await service.getProcess(id), id);
      const lastEventId = Number(request.headers["last-event-id"]);
      const fromByte =
        Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : request.query.fromByte;
      const answer = outputAnswer(request.headers.accept, request.query.follow);
      if (answer === "record") {
        const [log] = await service.listFiles(id, "log");
        if (!log)
          throw new NotFoundError(
            `process ${id} has no output file yet: its log is recorded when it ends (Accept: text/plain reads the log so far, text/event-stream follows it)`,
          );
        return outputFileView(log, origin(request));
      }
      if (answer === "text") {
        const chunk = await service.readLog(id, { fromByte });
        return reply
          .type("text/plain; charset=utf-8")
          .header("x-next-byte", String(chunk.nextByte))
          .send(chunk.text);
      }
      // limits.logStreams: counted from here until the connection closes, however the stream ends.
      let release: () => void;
      try {
        release = streams.acquire(principalOf(request).user.id);
      } catch (err) {
        if (err instanceof UserLimitError) refuse(reply, err);
        throw err;
      }
      reply.raw.once("close", release);
      reply.hijack();
      const sse = openSse(reply.raw, ctx.options.sseKeepAliveMs);
      open.add(sse);
      let offset = fromByte;
      try {
        for await (const line of service.followLog(id, {
          fromByte,
          signal: sse.signal,
          pollMs: ctx.options.ssePollMs,
        })) {
          offset += Buffer.byteLength(line) + 1;
          sse.send("log", line, String(offset));
        }
        const process = await service.getProcess(id);
        if (!sse.signal.aborted)
          sse.send("end", JSON.stringify({ processId: id, processStatus: process?.status ?? "DELETED" }));
      } catch (err) {
        // Our own errors say what happened; anything else (a file-system error names server paths) is generic.
        const detail = err instanceof NightshiftError ? err.message : "the log could not be read";
        sse.send("error", JSON.stringify({ detail }));
      } finally {
        open.delete(sse);
        sse.end();
      }
    },
  );
}

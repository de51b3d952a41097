/** The notifications of a process (the outbox rows): where each went, and whether it was delivered. */
import type { FastifyInstance } from "fastify";
import { toNotificationRecord } from "../../notify/record.js";
import { listProcessNotifications } from "../../store/queries/notifications.js";
import { requireVisible } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { origin } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { idParams } from "./processes.js";

export function notificationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { id: number } }>(
    "/api/system/processes/:id/notifications",
    {
      schema: { params: idParams },
      config: {
        openapi: {
          summary:
            "The notifications of a process: channel, recipients, rule, status (pending, sending, sent, failed), attempts, last error",
          tags: ["processes"],
          responses: {
            "200": { description: "the notifications, oldest first", schema: ref("NotificationList") },
            "403": "another user's process",
            "404": "no such process",
          },
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      requireVisible(principalOf(request), await ctx.engine.service.getProcess(id), id);
      const rows = await listProcessNotifications(ctx.engine.store.db, id);
      return {
        _embedded: { notifications: rows.map(toNotificationRecord) },
        _links: { self: { href: `${origin(request)}/api/system/processes/${id}/notifications` } },
      };
    },
  );
}

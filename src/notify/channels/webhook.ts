/** A signed JSON POST; the body as Slack or Microsoft Teams incoming webhooks take it, or our own JSON. */
import type { WebhookChannel, WebhookFormat } from "../config.js";
import type { Message } from "../message.js";
import { readSecretRef } from "../secrets.js";
import { SIGNATURE_HEADER, signatureHeader } from "../signature.js";
import type { Sender, SenderDeps } from "./sender.js";

export function webhookSender(channel: WebhookChannel, deps: SenderDeps): Sender {
  const where = (key: string) => ({ channel: channel.name, key });
  const url = readSecretRef(channel.url, where("url"), deps.env, deps.baseDir);
  const secret = readSecretRef(channel.secret, where("secret"), deps.env, deps.baseDir);
  // The URL's path and query may be the credential (Slack, Teams): messages name the host only.
  const host = safeHost(url);
  return {
    async send(message: Message, _recipients, deliveryId) {
      const body = deps.mask(JSON.stringify(webhookBody(channel.format, message)));
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [SIGNATURE_HEADER]: signatureHeader(secret, body, deps.now() / 1000),
            "X-Nightshift-Delivery": deliveryId,
          },
          body,
          signal: AbortSignal.timeout(deps.timeoutMs),
          redirect: "error",
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (err as Error).message;
        throw new Error(`webhook ${host} not reached: ${why}`);
      }
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`webhook ${host} answered HTTP ${response.status}`);
    },
    close() {},
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}

/** The request body for each format. */
export function webhookBody(format: WebhookFormat, message: Message): unknown {
  const { attachment: _file, facts, subject, text } = message;
  switch (format) {
    case "slack":
      return { text: `*${subject}*\n\`\`\`${text.trimEnd()}\`\`\`` };
    case "teams":
      return {
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            content: {
              $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
              type: "AdaptiveCard",
              version: "1.4",
              body: [
                { type: "TextBlock", text: subject, weight: "Bolder", wrap: true },
                { type: "TextBlock", text: text.trimEnd(), wrap: true, fontType: "Monospace" },
              ],
              ...(facts?.url
                ? { actions: [{ type: "Action.OpenUrl", title: "Open the process", url: facts.url }] }
                : {}),
            },
          },
        ],
      };
    case "json": {
      const process = facts
        ? {
            ...facts,
            failures: facts.failures ? { name: facts.failures.name, size: facts.failures.size } : null,
          }
        : null;
      return { subject, text, process };
    }
  }
}

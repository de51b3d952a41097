/** E-mail over SMTP with nodemailer: smtp:// with STARTTLS, or smtps://; the password read from its reference. */
import { readFile } from "node:fs/promises";
import nodemailer from "nodemailer";
import type { EmailChannel } from "../config.js";
import type { Message } from "../message.js";
import { readSecretRef } from "../secrets.js";
import type { Sender, SenderDeps } from "./sender.js";

export function emailSender(channel: EmailChannel, deps: SenderDeps): Sender {
  const where = (key: string) => ({ channel: channel.name, key });
  const password = channel.password
    ? readSecretRef(channel.password, where("password"), deps.env, deps.baseDir)
    : undefined;
  const ca = channel.ca ? readSecretRef(channel.ca, where("ca"), deps.env, deps.baseDir) : undefined;
  const transport = nodemailer.createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.secure,
    requireTLS: !channel.secure && channel.starttls === "required",
    ignoreTLS: !channel.secure && channel.starttls === "off",
    ...(password ? { auth: { user: channel.user ?? channel.from, pass: password } } : {}),
    ...(ca ? { tls: { ca } } : {}),
    connectionTimeout: deps.timeoutMs,
    greetingTimeout: deps.timeoutMs,
    socketTimeout: deps.timeoutMs,
  });
  return {
    async send(message: Message, recipients, deliveryId) {
      const to = recipients?.length ? recipients : channel.to;
      if (to.length === 0) throw new Error(`channel ${channel.name} has no recipients`);
      const attachments = message.attachment
        ? [
            {
              filename: message.attachment.filename,
              content: await maskedFile(message.attachment.path, deps.mask),
            },
          ]
        : [];
      await transport.sendMail({
        from: channel.from,
        to: [...to],
        subject: deps.mask(message.subject),
        text: deps.mask(message.text),
        attachments,
        headers: { "X-Nightshift-Delivery": deliveryId },
      });
    },
    close: () => transport.close(),
  };
}

/** The attachment's bytes; a secret value inside it (it never should be) is masked too. */
async function maskedFile(path: string, mask: (text: string) => string): Promise<Buffer> {
  const bytes = await readFile(path);
  const text = bytes.toString("utf8");
  const masked = mask(text);
  return masked === text ? bytes : Buffer.from(masked, "utf8");
}

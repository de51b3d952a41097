import { resolve } from "node:path";
import { openSender } from "../../notify/channels/index.js";
import { parseNotifyConfig } from "../../notify/config.js";
import { testMessage } from "../../notify/message.js";
import { configSecretValues, createSecretMask } from "../../notify/secrets.js";
import { loadCliConfig, parseArgs, runCommand, UsageError } from "../options.js";

export const summary = "send a test message through a notification channel (notify test CHANNEL)";

const USAGE = `Usage: nightshift notify test CHANNEL [--to ADDRESS] [--config FILE]
Sends a test message through the channel CHANNEL of the config (channels:), to its own recipients or to
--to ADDRESS (e-mail). Exit 0 when the channel took it, 1 when it did not (the reason is printed).
`;

export default function notifyCommand(argv: string[]): Promise<number> {
  return runCommand("notify", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, { to: { type: "string" } });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const [action, name, ...extra] = positionals;
    if (action !== "test")
      throw new UsageError(action ? `unknown action '${action}'` : "an action is needed: test");
    if (!name) throw new UsageError("a channel name is needed");
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const config = await loadCliConfig(flags);
    const notify = parseNotifyConfig(config);
    const channel = notify.channels.get(name);
    if (!channel) {
      const known = [...notify.channels.keys()];
      throw new UsageError(
        `no channel '${name}' in the config (${known.length ? `known: ${known.join(", ")}` : "no channels configured"})`,
      );
    }
    const mask = createSecretMask(configSecretValues(config));
    const to = typeof flags.to === "string" ? [flags.to] : null;
    try {
      const sender = openSender(channel, {
        env: process.env,
        baseDir: config.configPath ? resolve(config.configPath, "..") : process.cwd(),
        mask,
        now: Date.now,
        timeoutMs: 30_000,
      });
      try {
        await sender.send(testMessage(name, Date.now()), to, `nightshift-test-${Date.now()}`);
      } finally {
        sender.close();
      }
    } catch (err) {
      process.stderr.write(`nightshift notify: channel ${name}: ${mask((err as Error).message)}\n`);
      return 1;
    }
    const where = channel.type === "email" ? ` to ${(to ?? channel.to).join(", ")}` : "";
    process.stdout.write(`test message sent through channel ${name}${where}\n`);
    return 0;
  });
}

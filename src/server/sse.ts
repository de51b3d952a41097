/** Server-Sent Events on a raw response: headers, events, keep-alive comments, close detection. */
import type { ServerResponse } from "node:http";

export interface SseStream {
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  send(event: string, data: string, id?: string): void;
  end(): void;
}

export function openSse(res: ServerResponse, keepAliveMs: number): SseStream {
  const controller = new AbortController();
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.write(": nightshift log stream\n\n");
  const timer = setInterval(() => res.write(": keep-alive\n\n"), keepAliveMs);
  const stop = () => {
    clearInterval(timer);
    controller.abort();
  };
  res.on("close", stop);
  return {
    signal: controller.signal,
    send(event, data, id) {
      if (res.writableEnded || res.destroyed) return;
      // A data line may not contain a newline: each line of the payload is its own `data:` field.
      const lines = data.split(/\r?\n/).map((l) => `data: ${l}`);
      res.write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\n${lines.join("\n")}\n\n`);
    },
    end() {
      stop();
      if (!res.writableEnded) res.end();
    },
  };
}

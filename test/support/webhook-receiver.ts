/**
 * A webhook endpoint for tests: node:http on 127.0.0.1, recording every POST it receives (path,
 * headers, parsed body) and answering as the test's `answer` says — a status, a redirect, or
 * never (the sender's timeout then ends the attempt).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

export type Answer = number | "hang" | { redirectTo: string } | { status: number; afterMs: number };

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Decides each answer; `index` counts the requests received so far, from 0. */
  answer: (request: ReceivedWebhook, index: number) => Answer;
  /** Resolves once `count` webhooks arrived (fails after `ms`). */
  waitFor(count: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: "",
    received: [],
    answer: () => 200,
    async waitFor(count, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (receiver.received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`waited for ${count} webhooks, received ${receiver.received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const webhook: ReceivedWebhook = {
        path: request.url ?? "",
        contentType: request.headers["content-type"],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      };
      const index = receiver.received.length;
      receiver.received.push(webhook);
      const answer = receiver.answer(webhook, index);
      if (answer === "hang") {
        hanging.add(response);
        return;
      }
      if (typeof answer === "object" && "afterMs" in answer) {
        hanging.add(response);
        setTimeout(() => {
          hanging.delete(response);
          if (!response.destroyed) response.writeHead(answer.status).end("slow");
        }, answer.afterMs);
        return;
      }
      if (typeof answer === "object") {
        response.writeHead(302, { location: answer.redirectTo }).end();
        return;
      }
      response.writeHead(answer, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Polls `check` until it returns true (fails after `ms`): for states a worker reaches by itself. */
export async function eventually(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

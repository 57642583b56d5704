/**
 * A real HTTP proxy in front of the real test server, for the SDK's retry tests: it records every
 * request it receives and, request by request, either forwards it or fails it the way a network
 * or an overloaded server would — an answer of its own (503 with Retry-After, 429, …), a dropped
 * connection before forwarding, or one dropped after the server has answered (the answer lost).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  /** Pass the request to the server and its answer back. */
  | { kind: "forward" }
  /** Answer without asking the server: the status, headers and body given (an envelope by default). */
  | { kind: "answer"; status: number; headers?: Record<string, string>; body?: string }
  /** Close the connection without answering; the server never sees the request. */
  | { kind: "drop-before" }
  /** Forward, let the server answer, then close the connection: the server acted, the client never hears. */
  | { kind: "drop-after" };

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FaultProxy {
  url: string;
  received: ReceivedRequest[];
  /** The faults for the next requests, in order; once used up, every request is forwarded. */
  plan(faults: Fault[]): void;
  close(): Promise<void>;
}

/** The error envelope a failing proxy answers with, shaped as the server's. */
export function proxyEnvelope(code: string, message: string): string {
  return JSON.stringify({
    meta: { status: "ERROR", trace_id: "proxy-trace", version: "2025-03-24" },
    errors: [{ code, message }],
  });
}

function forward(
  target: URL,
  request: ReceivedRequest & { method: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const { host: _host, connection: _connection, ...headers } = request.headers;
    const outgoing = http.request(
      { host: target.hostname, port: target.port, method: request.method, path: request.path, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

export async function startFaultProxy(serverUrl: string): Promise<FaultProxy> {
  const target = new URL(serverUrl);
  const received: ReceivedRequest[] = [];
  let faults: Fault[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const request = {
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      const fault = faults.shift() ?? { kind: "forward" };
      if (fault.kind === "drop-before") {
        req.socket.destroy();
        return;
      }
      if (fault.kind === "answer") {
        const body = fault.body ?? proxyEnvelope("SERVICE_UNAVAILABLE", `proxy answered ${fault.status}`);
        res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
        res.end(body);
        return;
      }
      try {
        const answer = await forward(target, { ...request, method: req.method ?? "POST" });
        if (fault.kind === "drop-after") {
          req.socket.destroy();
          return;
        }
        const { connection: _connection, "transfer-encoding": _encoding, ...headers } = answer.headers;
        res.writeHead(answer.status, headers);
        res.end(answer.body);
      } catch {
        req.socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    plan(next) {
      faults = [...next];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Requests whose timing a test controls, for shutdown tests: a request the server has provably
 * received (it answered `Expect: 100-continue`) but whose body is only half sent, so it is in
 * flight for as long as the test wants; an idle keep-alive connection; and a bare TCP connect.
 */
import http from "node:http";
import net from "node:net";
import type { IssuedCredential } from "../../src/admin/operator.js";
import { signedHeaders } from "./http.js";
import type { ResponseJson } from "./load.js";

export interface HeldRequest {
  /** Sends the rest of the body and resolves with the response. */
  finish(): Promise<{ status: number; json: ResponseJson; headers: http.IncomingHttpHeaders }>;
  /** Resolves with the error if the connection is cut before a response (never rejects). */
  cut: Promise<Error>;
}

/**
 * Starts a signed POST on a keep-alive connection of its own, waits until the server has read its
 * headers (100 Continue), sends half of the body and holds the rest back until `finish()`.
 */
export function holdRequest(
  baseUrl: string,
  credential: Pick<IssuedCredential, "api_key" | "secret_key" | "auth_token">,
  method: string,
  body: unknown,
): Promise<HeldRequest> {
  const bytes = Buffer.from(JSON.stringify(body));
  const target = `/${method}`;
  // Keep-alive, as real clients ask for: the server must still not leave the connection open.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = http.request(`${baseUrl}${target}`, {
    method: "POST",
    agent,
    headers: {
      ...signedHeaders(credential, target, bytes),
      "content-length": String(bytes.length),
      expect: "100-continue",
    },
  });
  const half = Math.floor(bytes.length / 2);
  const response = new Promise<http.IncomingMessage>((resolve) => request.once("response", resolve));
  const cut = new Promise<Error>((resolve) => request.once("error", resolve));
  return new Promise((resolve, reject) => {
    request.once("error", reject);
    request.once("continue", () => {
      request.write(bytes.subarray(0, half));
      resolve({
        cut,
        async finish() {
          request.end(bytes.subarray(half));
          const incoming = await response;
          const chunks: Buffer[] = [];
          for await (const chunk of incoming) chunks.push(chunk as Buffer);
          const json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ResponseJson;
          agent.destroy();
          return { status: incoming.statusCode ?? 0, json, headers: incoming.headers };
        },
      });
    });
  });
}

/** Makes one complete request on a keep-alive connection and leaves the connection open, idle. */
export async function idleKeepAliveConnection(baseUrl: string): Promise<{ closed: Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}/healthz`, { agent }, (response) => {
      response.resume();
      response.once("end", () => {
        const closed = new Promise<void>((done) => socket.once("close", () => done()));
        resolve({ closed });
      });
    });
    let socket: net.Socket;
    request.once("socket", (s) => {
      socket = s;
    });
    request.once("error", reject);
    request.end();
  });
}

/**
 * Whether a new TCP connection to the server is refused (true) or not (false: accepted, or reset
 * because it reached the backlog just as the listener closed — ask again).
 */
export function connectionRefused(baseUrl: string): Promise<boolean> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") resolve(true);
      else if (error.code === "ECONNRESET") resolve(false);
      else reject(error);
    });
  });
}

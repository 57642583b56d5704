/**
 * The bare HTTP floor (issue 12 item 9): a plain `node:http` server in a child process that reads
 * each request's body and answers a small JSON object, driven by the same load generator with the
 * same signed workflow.create requests, at the same connection counts as the real server. Its CPU
 * per request is what any Node HTTP server spends on a request on this host; the report divides
 * the real server's CPU per create by it, a number that travels between hosts where absolute
 * milliseconds do not (goal: at most 3×).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { onCleanup } from "./cleanup.js";
import type { HttpStageResult } from "./http-load.js";
import type { LoadGenerator } from "./load-generator.js";
import { log } from "./log.js";
import { createRequestFactory } from "./requests.js";
import { processTreeCpuMs } from "./server-process.js";

// Plain JavaScript, run by `node -e`: no loader, no framework, nothing but the HTTP work.
const FLOOR_SERVER = `
const http = require("node:http");
const answer = Buffer.from(JSON.stringify({ workflow: { id: "w_floor", state: "CREATED" } }));
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    response.writeHead(200, { "content-type": "application/json", "content-length": answer.length });
    response.end(answer);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

async function startFloorServer(): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["-e", FLOOR_SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = onCleanup(`stop the HTTP floor server ${child.pid}`, async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8").trim()));
    child.once("exit", (code) => reject(new Error(`the HTTP floor server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid as number, stop };
}

/** One stage per connection count against the bare server; each stage's `server_cpu_ms_per_request` is the floor. */
export async function measureHttpFloor(
  loadGenerator: LoadGenerator,
  connections: number[],
  durationS: number,
): Promise<HttpStageResult[]> {
  const server = await startFloorServer();
  // Signed as the real requests are (the floor ignores the signature): the same bytes on the wire.
  const factory = createRequestFactory({
    credentials: {
      apiKey: "floor",
      secretKey: randomBytes(32).toString("base64"),
      authToken: "floor",
    },
    accountId: "a_floor",
  });
  const stages: HttpStageResult[] = [];
  try {
    for (const count of connections) {
      const stage = await loadGenerator.run({
        url: server.url,
        connections: count,
        durationS,
        factory,
        serverCpuMs: () => processTreeCpuMs(server.pid),
      });
      stages.push(stage);
      log(
        `[http floor] ${count} connections: ${stage.req_per_s.toFixed(0)} req/s, ` +
          `${stage.server_cpu_ms_per_request ?? "?"} ms of server CPU per request`,
      );
    }
  } finally {
    await server.stop();
  }
  return stages;
}

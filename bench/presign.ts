/**
 * Signs a stage's requests before it starts, for wrk (whose Lua cannot compute the KSig1 HMAC):
 * raw HTTP/1.1 requests from the bench's request factory, written as `<byte length>\n<request>`
 * records, one file per wrk thread (`requests-<n>.txt`, n from 1), which bench/wrk-create.lua
 * reads. Each request is in exactly one file, so no two wrk threads can send the same one.
 */
import fs from "node:fs";
import path from "node:path";
import { type RequestFactory, type SignedRequest, TARGET } from "./requests.js";

function rawRequest(host: string, request: SignedRequest): Buffer {
  const head = [
    `POST ${TARGET} HTTP/1.1`,
    `host: ${host}`,
    `content-length: ${request.body.length}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
  ].join("\r\n");
  const raw = Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), request.body]);
  return Buffer.concat([Buffer.from(`${raw.length}\n`, "latin1"), raw]);
}

/** Writes `perThread` new signed requests for each of `threads` wrk threads into `dir`. */
export function writePresignedRequests(options: {
  dir: string;
  /** The Host header: the server's `host:port`. */
  host: string;
  factory: RequestFactory;
  threads: number;
  perThread: number;
}): void {
  for (let thread = 1; thread <= options.threads; thread++) {
    const records: Buffer[] = [];
    for (let i = 0; i < options.perThread; i++)
      records.push(rawRequest(options.host, options.factory.next()));
    fs.writeFileSync(path.join(options.dir, `requests-${thread}.txt`), Buffer.concat(records));
  }
}

/**
 * One webhook attempt over node:http(s) (webhooks.md "Delivery" and "Safety"): POST the envelope
 * as JSON, follow no redirect (a 3xx is a failed attempt), read at most 64 KiB of the answer and
 * discard it, and give up when the whole attempt outlasts the timeout. Any 2xx is a success.
 *
 * For a live account the address connected to must be public. The check is in the request's
 * `lookup`: the address it hands back is the one the socket connects to, so a name that resolves
 * to a public address when checked and a private one when used (DNS rebinding) cannot slip
 * through. Node skips `lookup` for an IP-literal host, so a literal is checked before connecting.
 */
import { promises as dns, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { isPublicAddress } from "./public-address.js";

export const MAX_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;

/** Resolves a host name to every address it has (injected in tests; the system's DNS otherwise). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export interface SendOptions {
  timeoutMs: number;
  resolver: Resolver;
  /** Development switch: `http://` endpoints are sent over plain HTTP. */
  allowInsecure: boolean;
}

export interface SendTarget {
  url: string;
  /** A live account: only public addresses. */
  live: boolean;
}

export type SendOutcome =
  | { kind: "succeeded"; httpStatus: number; latencyMs: number }
  /** Sent (or tried) and failed: another attempt follows. */
  | { kind: "failed"; httpStatus: number | null; latencyMs: number; error: string }
  /** Refused before any connection: the address is not public, or the URL may not be used. */
  | { kind: "refused"; latencyMs: number; error: string };

class Refused extends Error {}

/** Same-shape answer for every `lookup` caller: `all` wants the list, otherwise one address. */
type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(target: SendTarget, resolver: Resolver) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolver(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), []);
        const refused = target.live ? addresses.find((a) => !isPublicAddress(a.address)) : undefined;
        if (refused)
          return callback(
            new Refused(`${hostname} resolves to ${refused.address}, not a public address`),
            [],
          );
        if (options.all) return callback(null, addresses);
        const [first] = addresses as [LookupAddress];
        callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), []),
    );
  };
}

/** Why this URL may not be sent to at all, or undefined. */
function refusalOf(url: URL, target: SendTarget, options: SendOptions): string | undefined {
  if (url.protocol === "http:" && !options.allowInsecure)
    return "http:// endpoints need --allow-insecure-webhooks";
  if (url.protocol !== "https:" && url.protocol !== "http:") return `unsupported scheme ${url.protocol}`;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (target.live && isIP(host) !== 0 && !isPublicAddress(host)) return `${host} is not a public address`;
  return undefined;
}

export async function sendWebhook(
  target: SendTarget,
  body: string,
  options: SendOptions,
): Promise<SendOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return { kind: "refused", latencyMs: 0, error: "not a valid URL" };
  }
  const refusal = refusalOf(url, target, options);
  if (refusal) return { kind: "refused", latencyMs: 0, error: `refused: ${refusal}` };

  const payload = Buffer.from(body, "utf8");
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": payload.length,
        "user-agent": "Vetted-Webhooks/1.0",
      },
      // A fresh connection per attempt: every connection passes through the guarded lookup.
      agent: false,
      lookup: guardedLookup(target, options.resolver) as unknown as typeof import("node:dns").lookup,
    });
    const timer = setTimeout(
      () =>
        settle({
          kind: "failed",
          httpStatus: null,
          latencyMs: latency(),
          error: `timed out after ${options.timeoutMs} ms`,
        }),
      options.timeoutMs,
    );
    request.on("error", (error) => {
      settle(
        error instanceof Refused
          ? { kind: "refused", latencyMs: latency(), error: `refused: ${error.message}` }
          : { kind: "failed", httpStatus: null, latencyMs: latency(), error: error.message },
      );
    });
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      let received = 0;
      const done = () =>
        settle(
          status >= 200 && status < 300
            ? { kind: "succeeded", httpStatus: status, latencyMs: latency() }
            : {
                kind: "failed",
                httpStatus: status,
                latencyMs: latency(),
                error:
                  status >= 300 && status < 400
                    ? `HTTP ${status} (redirects are not followed)`
                    : `HTTP ${status}`,
              },
        );
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        // Enough read: the answer's status is all that counts.
        if (received >= MAX_RESPONSE_BYTES) done();
      });
      response.on("end", done);
      response.on("error", done);
      response.on("aborted", done);
    });
    request.end(payload);
  });
}

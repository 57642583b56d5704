/**
 * The demo credentials, offered to the docs page so a reader of `vetted demo` can press one button
 * and call the API. A credential handed to whoever asks is only safe when nobody but this machine
 * can ask, so the offer is made only when all of these hold (docs/decisions.md, "Docs page"):
 * - the server runs as `vetted demo` (only that command passes credentials here);
 * - it listens on a loopback address, so no other machine reaches it directly;
 * - the connection comes from a loopback address without `Forwarded`/`X-Forwarded-For`, so a
 *   reverse proxy on the same machine does not publish it;
 * - the `Host` header names a loopback host, so a web page elsewhere that rebinds its DNS name to
 *   127.0.0.1 (DNS rebinding) cannot read it.
 * Otherwise it answers 204 No Content: nothing offered (a 404 would log an error in the console of
 * every docs page that merely asks).
 */
import { isIP } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";

/** What `vetted demo` offers: a sandbox credential and the account it may act on. */
export interface DemoCredentialsOffer {
  apiKey: string;
  secretKey: string;
  authToken: string;
  accountId: string;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const unmapped = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (isIP(unmapped) === 4) return unmapped.startsWith("127.");
  return unmapped === "::1";
}

/** The host name of a `Host` header value, without port and IPv6 brackets. */
function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1];
  return host.replace(/:\d+$/, "");
}

function namesLoopback(host: string | undefined): boolean {
  const name = hostName(host)?.toLowerCase();
  return name === "localhost" || isLoopbackAddress(name);
}

export function mayOfferDemoCredentials(request: FastifyRequest): boolean {
  const listening = request.server.server.address();
  const listensOnLoopback = typeof listening === "object" && isLoopbackAddress(listening?.address);
  return (
    listensOnLoopback &&
    isLoopbackAddress(request.socket.remoteAddress) &&
    request.headers.forwarded === undefined &&
    request.headers["x-forwarded-for"] === undefined &&
    namesLoopback(request.headers.host)
  );
}

export function sendDemoCredentials(
  request: FastifyRequest,
  reply: FastifyReply,
  offer: DemoCredentialsOffer | undefined,
) {
  // no-store: a credential must not sit in a cache the next user of a shared browser reads.
  reply.header("cache-control", "no-store");
  if (!offer || !mayOfferDemoCredentials(request)) {
    return reply.code(204).send();
  }
  return reply.type("application/json; charset=utf-8").send(offer);
}

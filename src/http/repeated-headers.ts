/**
 * wire.md: a header that KSig1 or wire.md defines, sent twice, is refused. Node's parser hides a
 * second copy — it keeps the first Content-Type and joins Idempotency-Key or X-API-Version values
 * with ", " — so the copies are counted in `headersDistinct`, which keeps every line as sent.
 * The signing headers are checked by the authenticator (KSig1 step 1, MALFORMED_AUTHORIZATION);
 * wire.md's own headers here, before anything reads them.
 */
import { badRequest } from "../errors.js";

const WIRE_HEADERS: readonly [lowerCase: string, name: string][] = [
  ["content-type", "Content-Type"],
  ["x-api-version", "X-API-Version"],
  ["idempotency-key", "Idempotency-Key"],
];

export function assertWireHeadersSentOnce(headers: NodeJS.Dict<string[]>): void {
  for (const [lowerCase, name] of WIRE_HEADERS) {
    const values = headers[lowerCase];
    if (values !== undefined && values.length > 1) throw badRequest(`${name} is sent more than once`, name);
  }
}

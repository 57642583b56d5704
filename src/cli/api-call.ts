/**
 * The one place the CLI's `call` reaches the SDK (@vetted/client). Sends any method by name with
 * any body and hands back the server's envelope as it came, for `call` to print. The SDK's
 * retries stay on: a write keeps one Idempotency-Key across them, so `call` never creates twice.
 */
import {
  type ClientOptions,
  createClient,
  type MethodName,
  type RequestOf,
  VettedNetworkError,
} from "@vetted/client";
import type { WireError } from "../errors.js";
import { ServerAnswerError, ServerUnreachableError } from "./failure.js";

export type { ClientOptions };

export interface Envelope {
  meta: { status: "SUCCESS" | "ERROR"; trace_id: string; version: string };
  data?: unknown;
  errors?: WireError[];
}

export interface ApiCallOptions {
  idempotencyKey?: string;
  apiVersion?: string;
}

export async function callApi(
  client: ClientOptions,
  method: string,
  body: Record<string, unknown>,
  options: ApiCallOptions = {},
): Promise<{ ok: boolean; status: number; envelope: Envelope }> {
  const api = createClient({ ...client, version: options.apiVersion });
  const headers: Record<string, string> =
    options.idempotencyKey === undefined ? {} : { "idempotency-key": options.idempotencyKey };
  let result: Awaited<ReturnType<typeof api.call>>;
  try {
    // The name was checked against the method list and the body is the user's to get right: the
    // server validates it, and its answer is what `call` shows.
    result = await api.call(method as MethodName, body as RequestOf<MethodName>, { headers });
  } catch (error) {
    // No answer at all (no connection, reset, DNS), after the SDK's retries; anything else thrown
    // means an answer came that could not be read.
    if (error instanceof VettedNetworkError) {
      throw new ServerUnreachableError(client.baseUrl, error.cause);
    }
    throw new ServerAnswerError(client.baseUrl, error);
  }
  const envelope: Envelope = result.ok
    ? { meta: result.meta, data: result.data }
    : { meta: result.meta, errors: result.errors };
  return { ok: result.ok, status: result.status, envelope };
}

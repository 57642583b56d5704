/**
 * A small typed client for the Vetted (and Kompliant) API. It signs every request with the same
 * KSig1 module the server verifies with, so the two cannot disagree.
 *
 *   const client = createClient({ baseUrl, apiKey, secretKey, authToken });
 *   const result = await client.call("workflow.create", { account_id, workflow: { type: "ACCOUNT_PROVISIONING" } });
 *   if (result.ok) console.log(result.data.workflow.workflow_id);
 */
import { type Element, signRequest } from "../auth/ksig1.js";
import type { WireError } from "../errors.js";
import type { MethodName, RequestOf, ResponseOf } from "../methods/index.js";

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  authToken: string;
  /** Elements to sign; default: the strict set with Content-SHA256. `["API-Key"]` for compat credentials. */
  signedElements?: readonly Element[];
  version?: string;
}

export interface ResponseMeta {
  status: "SUCCESS" | "ERROR";
  trace_id: string;
  version: string;
}

export type CallResult<T> =
  | { ok: true; status: number; meta: ResponseMeta; data: T; headers: Headers }
  | { ok: false; status: number; meta: ResponseMeta; errors: WireError[]; headers: Headers };

export interface CallOptions {
  headers?: Record<string, string>;
}

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/$/, "");
  return {
    async call<N extends MethodName>(
      method: N,
      body: RequestOf<N>,
      callOptions: CallOptions = {},
    ): Promise<CallResult<ResponseOf<N>>> {
      const bytes = Buffer.from(JSON.stringify(body), "utf8");
      const target = `/${method}`;
      const auth =
        method === "meta.checkVersion"
          ? {}
          : signRequest(options, {
              target,
              body: bytes,
              elements: options.signedElements,
              version: options.version,
            });
      const response = await fetch(base + target, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(options.version ? { "x-api-version": options.version } : {}),
          ...auth,
          ...callOptions.headers,
        },
        body: bytes,
      });
      const json = (await response.json()) as { meta: ResponseMeta; data?: unknown; errors?: WireError[] };
      const common = { status: response.status, meta: json.meta, headers: response.headers };
      return json.meta.status === "SUCCESS"
        ? { ok: true, ...common, data: json.data as ResponseOf<N> }
        : { ok: false, ...common, errors: json.errors ?? [] };
    },
  };
}

export type VettedClient = ReturnType<typeof createClient>;
export { signRequest } from "../auth/ksig1.js";
export {
  openWebhook,
  type WebhookEnvelope,
  WebhookError,
  type WebhookErrorReason,
  type WebhookPayload,
  type WebhookSecret,
} from "./open-webhook.js";

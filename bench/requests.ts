/**
 * Distinct, signed `workflow.create` requests: every body has a new applicant email (BA) or asks
 * for a new subject record (AP), and every request carries fresh KSig1 strict headers (its own
 * nonce and timestamp, and the SHA-256 of its body), signed with the project's own signer.
 */
import { randomBytes } from "node:crypto";
import { type Credentials, signRequest } from "../src/auth/ksig1.js";

export const TARGET = "/workflow.create";

export interface SignedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

export type WorkflowKind = "BUSINESS_APPLICATION" | "ACCOUNT_PROVISIONING";

/** Half business applications (each with a new subject record and email), half provisioning. */
export function workflowKindOf(sequence: number): WorkflowKind {
  return sequence % 2 === 0 ? "BUSINESS_APPLICATION" : "ACCOUNT_PROVISIONING";
}

export function createRequestFactory(options: { credentials: Credentials; accountId: string }) {
  // A per-factory tag keeps emails distinct across runs on a reused database too.
  const tag = randomBytes(4).toString("hex");
  let sequence = 0;

  function body(n: number): Buffer {
    const workflow =
      workflowKindOf(n) === "BUSINESS_APPLICATION"
        ? {
            type: "BUSINESS_APPLICATION",
            details: {
              business_application_details: {
                applying_user: {
                  email: `Applicant.${tag}.${n}@Bench.Example.com`,
                  first_name: "Bench",
                  last_name: `Applicant ${n}`,
                },
                referrer_value: "bench",
              },
            },
          }
        : { type: "ACCOUNT_PROVISIONING" };
    return Buffer.from(JSON.stringify({ account_id: options.accountId, workflow }));
  }

  return {
    /** How many requests were made so far. */
    get count() {
      return sequence;
    },
    next(): SignedRequest {
      const payload = body(sequence++);
      const headers = signRequest(options.credentials, { target: TARGET, body: payload });
      return { body: payload, headers: { "content-type": "application/json", ...headers } };
    },
  };
}

export type RequestFactory = ReturnType<typeof createRequestFactory>;

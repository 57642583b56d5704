/**
 * What every fuzz test shares: sending exact bytes and headers (signed with ./http.js's
 * `signedHeaders`), the envelope assertion every response must pass, fast-check run settings
 * (FUZZ_SEED, FUZZ_RUNS) and the prototype check.
 */
import assert from "node:assert/strict";
import type fc from "fast-check";
import { LATEST_VERSION } from "../../src/domain/versions.js";
import { recordErrorsInText } from "./error-record.js";

export interface FuzzResponse {
  status: number;
  traceHeader: string | null;
  text: string;
}

export interface Envelope {
  meta: { status: "SUCCESS" | "ERROR"; trace_id: string; version: string };
  data?: Record<string, unknown>;
  errors?: { code: string; message: string; field?: unknown; sub_code?: unknown }[];
}

export async function sendBytes(
  url: string,
  target: string,
  headers: Headers | Record<string, string>,
  body: Buffer,
): Promise<FuzzResponse> {
  // A copy typed as Uint8Array<ArrayBuffer>, which BodyInit accepts (Buffer's may be shared memory).
  const response = await fetch(url + target, { method: "POST", headers, body: new Uint8Array(body) });
  const text = await response.text();
  recordErrorsInText(target, text);
  return { status: response.status, traceHeader: response.headers.get("x-trace-id"), text };
}

/**
 * The wire contract for any response to a method path: never a 5xx; JSON in the success or error
 * envelope; a `trc_` trace ID equal to the X-Trace-Id header; BAD_REQUEST errors carry `field`.
 */
export function assertEnvelope(response: FuzzResponse): Envelope {
  const context = `${response.status} ${response.text.slice(0, 500)}`;
  assert.ok(response.status < 500, `server error: ${context}`);
  let body: Envelope;
  try {
    body = JSON.parse(response.text);
  } catch {
    assert.fail(`response is not JSON: ${context}`);
  }
  assert.ok(body !== null && typeof body === "object" && !Array.isArray(body), `not an object: ${context}`);
  assert.match(body.meta?.trace_id ?? "", /^trc_[0-9A-Za-z]{1,22}$/, context);
  assert.equal(body.meta.trace_id, response.traceHeader, `trace ID differs from X-Trace-Id: ${context}`);
  assert.equal(body.meta.version, LATEST_VERSION, context);
  if (response.status === 200) {
    assert.equal(body.meta.status, "SUCCESS", context);
    assert.ok(body.data !== null && typeof body.data === "object", `success without data: ${context}`);
    assert.equal(body.errors, undefined, context);
    return body;
  }
  assert.equal(body.meta.status, "ERROR", context);
  assert.equal(body.data, undefined, context);
  assert.ok(Array.isArray(body.errors) && body.errors.length > 0, `no errors: ${context}`);
  for (const error of body.errors) {
    assert.equal(typeof error.code, "string", context);
    assert.equal(typeof error.message, "string", context);
    assert.ok(error.message.length > 0, context);
    if (error.code === "BAD_REQUEST") {
      assert.ok(Object.hasOwn(error, "field"), `BAD_REQUEST without field: ${context}`);
      assert.ok(error.field === null || typeof error.field === "string", context);
    }
  }
  return body;
}

/** fast-check settings: FUZZ_SEED replays a reported failure, FUZZ_RUNS scales the run count. */
export function fuzzParameters<T>(defaultRuns: number): fc.Parameters<T> {
  const scale = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  return {
    numRuns: Math.max(1, Math.round(defaultRuns * scale)),
    ...(seed === undefined ? {} : { seed }),
    verbose: 1,
  };
}

/** The keys Object.prototype has now, to compare after the runs (prototype-pollution check). */
export function prototypeKeys(): string[] {
  return Reflect.ownKeys(Object.prototype).map(String).sort();
}

export function assertPrototypesClean(before: string[]): void {
  assert.deepEqual(prototypeKeys(), before, "Object.prototype gained keys");
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
}

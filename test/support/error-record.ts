/**
 * Records, for the error-docs drift check, every error a test saw an API method answer: one JSON
 * line `{ method, code, sub_code }` per error object, appended to a file per test process in the
 * directory VETTED_TEST_ERRORS_DIR names (scripts/run-tests.mjs sets it to a fresh one per run;
 * unset, nothing is recorded). scripts/error-drift.ts compares the lines with the declarations.
 */
import { appendFileSync } from "node:fs";
import path from "node:path";
import { type ClientOptions, createClient, type VettedClient } from "@vetted/client";

export const ERRORS_DIR_ENV = "VETTED_TEST_ERRORS_DIR";

export interface SeenError {
  method: string;
  code: string;
  sub_code: string | null;
}

/** Records the errors of one response body to `target` (a path such as `/workflow.get`). */
export function recordErrors(target: string, body: unknown): void {
  const dir = process.env[ERRORS_DIR_ENV];
  if (!dir || typeof body !== "object" || body === null) return;
  const { meta, errors } = body as { meta?: { status?: unknown }; errors?: unknown };
  if (meta?.status !== "ERROR" || !Array.isArray(errors)) return;
  const method = (target.split("?")[0] ?? "").replace(/^\//, "");
  const lines = errors.map((error: { code?: unknown; sub_code?: unknown }) => {
    const seen: SeenError = {
      method,
      code: String(error?.code),
      sub_code: typeof error?.sub_code === "string" ? error.sub_code : null,
    };
    return `${JSON.stringify(seen)}\n`;
  });
  appendFileSync(path.join(dir, `${process.pid}.jsonl`), lines.join(""));
}

/** Records the body of a response given as text (as the fuzz tests read it); not JSON, nothing. */
export function recordErrorsInText(target: string, text: string): void {
  if (!process.env[ERRORS_DIR_ENV]) return;
  try {
    recordErrors(target, JSON.parse(text));
  } catch {
    // Not JSON: the test that sent it asserts on that; there is no error code to record.
  }
}

/**
 * The SDK's client, recording every error it receives: its fetch reads a copy of each answer.
 * Retries are off unless asked for, so a test sees exactly what the server answered (a 503 or 429
 * stays the answer) and a write carries no Idempotency-Key it did not set.
 */
export function createRecordingClient(options: ClientOptions): VettedClient {
  return createClient({
    retry: false,
    ...options,
    async fetch(input, init) {
      const response = await (options.fetch ?? fetch)(input, init);
      if (process.env[ERRORS_DIR_ENV]) {
        recordErrorsInText(new URL(input).pathname, await response.clone().text());
      }
      return response;
    },
  });
}

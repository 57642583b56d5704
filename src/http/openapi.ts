/** The errors each method can return, and their table in its description, from the declarations. */

import type { ErrorCode } from "../errors.js";
import {
  COMMON_ERRORS,
  type DocumentedError,
  documentedStatus,
  type MethodDefinition,
} from "../methods/define.js";
import { takesShowSensitiveData } from "./sensitive-read.js";

function row(error: DocumentedError): string {
  const detail = error.sub_code ? `${error.entity_type} / ${error.sub_code}` : "";
  return `| ${error.code} | ${documentedStatus(error)} | ${detail} | ${error.when} |`;
}

/** Errors that come from a credential's checks, which an unauthenticated method never makes. */
const CREDENTIAL_ONLY = new Set([
  "AUTHENTICATION_FAILED",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_USE",
  "RATE_LIMITED",
]);

/** Idempotency-Key is ignored on reads (wire.md), so only a write can answer these. */
const WRITE_ONLY = new Set<ErrorCode>(["IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_IN_USE"]);

/** The errors a method can return: its own, then the ones every method shares. */
export function errorsOf(method: MethodDefinition): DocumentedError[] {
  const own = method.errors;
  const common = COMMON_ERRORS.filter(
    (c) =>
      !own.some((o) => o.code === c.code) &&
      (method.auth || !CREDENTIAL_ONLY.has(c.code)) &&
      (method.write || !WRITE_ONLY.has(c.code)),
  );
  // Read-only credentials are refused every method that writes, so the declaration implies it.
  const readOnly: DocumentedError[] = method.write
    ? [{ code: "PERMISSION_DENIED", when: "The credential is read-only and this method writes" }]
    : [];
  // So is the refusal of show_sensitive_data (data.md §2.6), for every method that takes the flag.
  const unmask: DocumentedError[] = takesShowSensitiveData(method)
    ? [
        {
          code: "PERMISSION_DENIED",
          when: "show_sensitive_data is true and the credential may not unmask (read-only, or issued with --no-unmask); field: show_sensitive_data",
        },
      ]
    : [];
  return [...own, ...readOnly, ...unmask, ...common];
}

export function errorTable(method: MethodDefinition): string {
  return [
    "| code | HTTP | entity_type / sub_code | when |",
    "|---|---|---|---|",
    ...errorsOf(method).map(row),
  ].join("\n");
}

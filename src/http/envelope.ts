/** The success and error envelopes every method response is wrapped in. */
import { type TSchema, Type } from "@sinclair/typebox";
import { ERROR_CATALOG, type ErrorCode, type WireError } from "../errors.js";
import { MissingRequirementObject } from "../methods/objects.js";
import { StringEnum } from "../methods/schema.js";

export interface Meta {
  status: "SUCCESS" | "ERROR";
  trace_id: string;
  version: string;
}

export function successEnvelope(data: unknown, traceId: string, version: string) {
  return { meta: { status: "SUCCESS", trace_id: traceId, version } satisfies Meta, data };
}

export function errorEnvelope(errors: WireError[], traceId: string, version: string) {
  return { meta: { status: "ERROR", trace_id: traceId, version } satisfies Meta, errors };
}

const metaFields = {
  trace_id: Type.String({ description: "This request's trace ID (trc_…), also in the X-Trace-Id header" }),
  version: Type.String({ description: "The API version the request was served under" }),
};

// `status` is a literal on each side: a client reading a success never has to consider "ERROR".
// (fast-json-stringify writes a const as it is, which is what each envelope sends anyway.)
const SuccessMetaSchema = Type.Object(
  { status: Type.Literal("SUCCESS"), ...metaFields },
  { title: "SuccessMeta" },
);
const ErrorMetaSchema = Type.Object({ status: Type.Literal("ERROR"), ...metaFields }, { title: "ErrorMeta" });

export function SuccessEnvelopeSchema(data: TSchema) {
  return Type.Object({ meta: SuccessMetaSchema, data });
}

/** One item of `errors`; the OpenAPI document narrows `code` and `sub_code` per method and status. */
export const ErrorSchema = Type.Object(
  {
    code: StringEnum(Object.keys(ERROR_CATALOG) as ErrorCode[]),
    message: Type.String(),
    entity_type: Type.Optional(Type.String()),
    sub_code: Type.Optional(Type.String()),
    field: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    related_methods: Type.Optional(Type.Array(Type.String())),
    missing_requirements: Type.Optional(Type.Array(MissingRequirementObject)),
  },
  { title: "Error" },
);

export const ErrorEnvelopeSchema = Type.Object(
  { meta: ErrorMetaSchema, errors: Type.Array(ErrorSchema, { minItems: 1 }) },
  { title: "ErrorEnvelope" },
);

/** The success and error envelopes every method response is wrapped in. */
import { type TSchema, Type } from "@sinclair/typebox";
import type { WireError } from "../errors.js";
import { MissingRequirementObject } from "../methods/objects.js";

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

const MetaSchema = Type.Object({
  status: Type.String({ enum: ["SUCCESS", "ERROR"] }),
  trace_id: Type.String(),
  version: Type.String(),
});

export function SuccessEnvelopeSchema(data: TSchema) {
  return Type.Object({ meta: MetaSchema, data });
}

export const ErrorEnvelopeSchema = Type.Object({
  meta: MetaSchema,
  errors: Type.Array(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      entity_type: Type.Optional(Type.String()),
      sub_code: Type.Optional(Type.String()),
      field: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      related_methods: Type.Optional(Type.Array(Type.String())),
      missing_requirements: Type.Optional(Type.Array(MissingRequirementObject)),
    }),
  ),
});

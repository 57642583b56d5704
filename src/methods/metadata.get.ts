import { Type } from "@sinclair/typebox";
import { visibleMetadataEntry } from "../domain/metadata.js";
import { callerScope } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { MetadataObject, presentMetadata } from "./metadata-fields.js";
import { MetadataId, Strict } from "./schema.js";

export const metadataGet = defineMethod({
  name: "metadata.get",
  summary: "Get a metadata entry with its details and linked entity IDs.",
  auth: true,
  write: false,
  request: Strict({ metadata_id: MetadataId }),
  response: Type.Object({ metadata: MetadataObject }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed metadata_id" },
    notVisible("The metadata entry"),
  ],
  async handler(context, body) {
    const { scope } = callerScope(context);
    return {
      metadata: presentMetadata(
        await visibleMetadataEntry(context.store, scope, body.metadata_id, "metadata_id"),
      ),
    };
  },
});

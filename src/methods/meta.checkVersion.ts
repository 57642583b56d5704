import { Type } from "@sinclair/typebox";
import { LATEST_VERSION } from "../domain/versions.js";
import { defineMethod } from "./define.js";
import { Strict } from "./schema.js";

export const metaCheckVersion = defineMethod({
  name: "meta.checkVersion",
  summary:
    "Report the API version this request was served under and the latest one. Needs no authentication.",
  auth: false,
  write: false,
  request: Strict({}),
  response: Type.Object({ current_version: Type.String(), latest_version: Type.String() }),
  errors: [{ code: "BAD_REQUEST", when: "Unsupported X-API-Version, or a body with parameters" }],
  async handler(context) {
    return { current_version: context.version, latest_version: LATEST_VERSION };
  },
});

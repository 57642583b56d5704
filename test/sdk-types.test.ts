import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type * as Sdk from "@vetted/client";
import { LIST_ITEMS_KEYS, METHOD_NAMES, WRITE_METHODS } from "@vetted/client";
import { renderSdkTypes, SDK_TYPES_PATH } from "../scripts/sdk-types.js";
import type { WireError as ServerWireError } from "../src/errors.js";
import type * as Server from "../src/methods/index.js";
import { METHODS } from "../src/methods/index.js";

// The SDK's types are generated through the OpenAPI document; the server's come from TypeBox.
// Each must accept exactly what the other does, checked by the compiler (`npm run lint`): a
// method whose types disagree makes the `true` below a type error naming that method.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Disagreeing<Side extends "request" | "response"> = {
  [N in Server.MethodName]: Same<
    Side extends "request" ? Server.RequestOf<N> : Server.ResponseOf<N>,
    Side extends "request" ? Sdk.RequestOf<N> : Sdk.ResponseOf<N>
  > extends true
    ? never
    : N;
}[Server.MethodName];
const requestsAgree: [Disagreeing<"request">] extends [never] ? true : Disagreeing<"request"> = true;
const responsesAgree: [Disagreeing<"response">] extends [never] ? true : Disagreeing<"response"> = true;
// The error objects too: the server takes the SDK's shape (WireErrorOf) with its own catalog's codes,
// and the SDK's codes are generated: both code sets must agree.
const errorsAgree: Same<ServerWireError, Sdk.WireError> = true;

describe("the SDK's generated method types (packages/client/src/methods.gen.ts)", () => {
  it("are up to date with the method declarations (run `npm run sdk:types`)", async () => {
    assert.equal(readFileSync(SDK_TYPES_PATH, "utf8"), await renderSdkTypes());
  });

  it("name every method, the writes, and the array key of every list method", () => {
    assert.deepEqual(
      METHOD_NAMES,
      METHODS.map((m) => m.name),
    );
    assert.deepEqual(
      WRITE_METHODS,
      METHODS.filter((m) => m.write).map((m) => m.name),
    );
    assert.equal(LIST_ITEMS_KEYS["workflow.list"], "workflows");
    assert.equal(LIST_ITEMS_KEYS["subjectRecord.list"], "subject_records");
    assert.ok(!("metadata.list" in LIST_ITEMS_KEYS), "metadata.list is not paginated (data.md §9.3)");
    assert.ok(requestsAgree && responsesAgree && errorsAgree);
  });
});

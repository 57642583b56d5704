import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { METHODS } from "../src/methods/index.js";
import { openApiDocument, renderOpenApi } from "../src/openapi-document.js";

describe("openapi.json", () => {
  it("is up to date with the method declarations (run `npm run openapi`)", async () => {
    const fresh = renderOpenApi(await openApiDocument());
    assert.equal(readFileSync("openapi.json", "utf8"), fresh);
  });

  it("documents every method as POST /<name> with its request schema and error table", async () => {
    const document = (await openApiDocument()) as {
      paths: Record<string, { post?: { requestBody?: unknown; description?: string } }>;
    };
    for (const method of METHODS) {
      const operation = document.paths[`/${method.name}`]?.post;
      assert.ok(operation, `missing ${method.name}`);
      assert.ok(operation.requestBody, `${method.name} has no request body schema`);
      for (const error of method.errors) {
        assert.ok(
          operation.description?.includes(`| ${error.code} |`),
          `${method.name} does not list ${error.code}`,
        );
      }
    }
  });
});

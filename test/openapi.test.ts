import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { errorsOf } from "../src/http/openapi.js";
import { ComponentClash, ComponentSchemas } from "../src/http/openapi-components.js";
import { componentBaseName } from "../src/http/openapi-operations.js";
import { documentedStatus } from "../src/methods/define.js";
import { METHODS } from "../src/methods/index.js";
import { openApiDocument, renderOpenApi } from "../src/openapi-document.js";

type Json = Record<string, unknown>;
interface Operation {
  description?: string;
  parameters: { $ref: string }[];
  security: Json[];
  requestBody: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { headers: Record<string, unknown>; content: Record<string, { schema: Json }> }>;
}
interface Document {
  openapi: string;
  info: { license: { name: string; identifier: string }; contact?: unknown };
  servers: { url: string; description: string }[];
  paths: Record<string, { post: Operation }>;
  components: {
    schemas: Record<string, Json>;
    securitySchemes: Record<string, { type: string; in: string; name: string; description: string }>;
    parameters: Record<string, { name: string; in: string }>;
    headers: Record<string, unknown>;
  };
}

const document = (await openApiDocument()) as Document;
const operationOf = (name: string): Operation => {
  const operation = document.paths[`/${name}`]?.post;
  assert.ok(operation, `missing ${name}`);
  return operation;
};

/** Every `$ref` in a value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push(item);
      else refsIn(item, found);
    }
  }
  return found;
}

describe("openapi.json", () => {
  it("is up to date with the method declarations (run `npm run openapi`)", async () => {
    const fresh = renderOpenApi(await openApiDocument());
    assert.equal(readFileSync("openapi.json", "utf8"), fresh);
  });

  it("documents every method as POST /<name> with its request schema and error table", () => {
    for (const method of METHODS) {
      const operation = operationOf(method.name);
      assert.ok(operation.requestBody, `${method.name} has no request body schema`);
      for (const error of method.errors) {
        assert.ok(
          operation.description?.includes(`| ${error.code} |`),
          `${method.name} does not list ${error.code}`,
        );
      }
    }
  });

  it("is OpenAPI 3.1 with an Apache-2.0 licence, a contact and the default server", () => {
    assert.equal(document.openapi, "3.1.0");
    assert.deepEqual(document.info.license, { name: "Apache-2.0", identifier: "Apache-2.0" });
    assert.ok(document.info.contact);
    assert.equal(document.servers[0]?.url, "http://127.0.0.1:8080");
    assert.match(document.servers[0]?.description ?? "", /--public-url/);
  });

  it("names the shared objects and one request and response schema per method", () => {
    const names = Object.keys(document.components.schemas);
    for (const name of [
      "Workflow",
      "SubjectRecord",
      "Business",
      "Person",
      "BankAccount",
      "Address",
      "Location",
      "Document",
      "MetadataType",
      "Metadata",
      "WebhookKey",
      "WebhookConfig",
      "MissingRequirement",
      "Error",
      "ErrorEnvelope",
      "SuccessMeta",
      "ErrorMeta",
    ]) {
      assert.ok(names.includes(name), `no component ${name}`);
    }
    for (const method of METHODS) {
      const base = componentBaseName(method.name);
      const operation = operationOf(method.name);
      assert.deepEqual(operation.requestBody.content["application/json"]?.schema, {
        $ref: `#/components/schemas/${base}Request`,
      });
      assert.deepEqual(operation.responses["200"]?.content["application/json"]?.schema, {
        $ref: `#/components/schemas/${base}Response`,
      });
    }
    assert.equal(componentBaseName("business.salesInfo.create"), "BusinessSalesInfoCreate");
  });

  it("leaves no named schema inline, and every $ref points to a component that exists", () => {
    const inline = JSON.stringify(document.paths);
    assert.doesNotMatch(inline, /"title":/, "a titled schema was left inline in paths");
    for (const ref of refsIn(document)) {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      assert.ok(section && name, `not a component $ref: ${ref}`);
      const holder = (document.components as unknown as Record<string, Json>)[section];
      assert.ok(holder?.[name], `${ref} points nowhere`);
    }
  });

  it("refuses two different schemas under one name, and names a nullable copy as X or null", () => {
    const components = new ComponentSchemas({});
    components.add("Thing", { type: "object", properties: { a: { type: "string" } } });
    // The same shape again, even with another description, is the same component.
    assert.deepEqual(components.add("Thing", { type: "object", properties: { a: { type: "string" } } }), {
      $ref: "#/components/schemas/Thing",
    });
    assert.throws(
      () => components.add("Thing", { type: "object", properties: { b: { type: "string" } } }),
      ComponentClash,
    );
    assert.throws(
      () => components.lift({ anyOf: [{ title: "Thing", type: "string" }] }),
      /Two different schemas are named Thing/,
    );
    // Nullable(Thing) (schema.ts) is Thing or null, not a second Thing.
    const nullable = { title: "Thing", type: ["object", "null"], properties: { a: { type: "string" } } };
    assert.deepEqual(components.lift(nullable), {
      anyOf: [{ $ref: "#/components/schemas/Thing" }, { type: "null" }],
    });
  });

  it("answers one response per status, whose code and sub_code enums are exactly the method's errors", () => {
    for (const method of METHODS) {
      const operation = operationOf(method.name);
      const expected = new Map<string, { codes: Set<string>; subCodes: Set<string> }>();
      for (const error of errorsOf(method)) {
        const status = String(documentedStatus(error));
        const entry = expected.get(status) ?? { codes: new Set(), subCodes: new Set() };
        entry.codes.add(error.code);
        if (error.sub_code) entry.subCodes.add(error.sub_code);
        if (error.code === "AUTHENTICATION_FAILED") {
          for (const sub of ["MISSING_CREDENTIALS", "SIGNATURE_MISMATCH", "NONCE_REUSED"])
            entry.subCodes.add(sub);
        }
        expected.set(status, entry);
      }
      const statuses = Object.keys(operation.responses).filter((status) => status !== "200");
      assert.deepEqual(statuses.sort(), [...expected.keys()].sort(), `${method.name}: statuses`);
      for (const [status, { codes, subCodes }] of expected) {
        const schema = operation.responses[status]?.content["application/json"]?.schema as {
          properties: { meta: Json; errors: { items: { allOf: [Json, { properties: Json }] } } };
        };
        assert.deepEqual(schema.properties.meta, { $ref: "#/components/schemas/ErrorMeta" });
        const [base, narrowed] = schema.properties.errors.items.allOf;
        assert.deepEqual(base, { $ref: "#/components/schemas/Error" });
        const props = narrowed.properties as { code: { enum: string[] }; sub_code?: { enum: string[] } };
        assert.deepEqual(new Set(props.code.enum), codes, `${method.name} ${status}: codes`);
        for (const sub of subCodes) {
          assert.ok(props.sub_code?.enum.includes(sub), `${method.name} ${status}: sub_code ${sub} missing`);
        }
        if (subCodes.size === 0) assert.equal(props.sub_code, undefined);
      }
    }
  });

  it("keeps meta.status to SUCCESS on a success and ERROR on an error", () => {
    const meta = (name: string) => document.components.schemas[name]?.properties as { status: Json };
    assert.deepEqual(meta("SuccessMeta").status, { const: "SUCCESS", type: "string" });
    assert.deepEqual(meta("ErrorMeta").status, { const: "ERROR", type: "string" });
  });

  it("declares KSig1 as security schemes plus the signing headers, linking the signing guide", () => {
    const schemes = document.components.securitySchemes;
    assert.deepEqual(
      Object.values(schemes).map((scheme) => [scheme.type, scheme.in, scheme.name]),
      [
        ["apiKey", "header", "Authorization"],
        ["apiKey", "header", "X-API-Key"],
        ["apiKey", "header", "X-API-Auth-Token"],
      ],
    );
    assert.match(schemes.KSig1?.description ?? "", /KSig1-HMAC-SHA256 <signature>/);
    assert.match(schemes.KSig1?.description ?? "", /docs\/signing\.md/);
    const parameterNames = Object.values(document.components.parameters).map((p) => `${p.in}:${p.name}`);
    for (const header of [
      "X-API-Version",
      "Idempotency-Key",
      "X-API-Signed-Elements",
      "X-API-Timestamp",
      "X-API-Nonce",
      "X-API-Content-Hash",
    ]) {
      assert.ok(parameterNames.includes(`header:${header}`), `no parameter ${header}`);
    }
  });

  it("gives each operation its request headers, security and response headers", () => {
    for (const method of METHODS) {
      const operation = operationOf(method.name);
      const parameters = operation.parameters.map((p) => p.$ref.split("/").pop());
      assert.equal(parameters.includes("XApiVersion"), true, method.name);
      assert.equal(parameters.includes("IdempotencyKey"), method.write, `${method.name}: Idempotency-Key`);
      assert.equal(parameters.includes("XApiTimestamp"), method.auth, `${method.name}: signing headers`);
      assert.deepEqual(
        operation.security,
        method.auth ? [{ KSig1: [], KSig1ApiKey: [], KSig1AuthToken: [] }] : [],
        method.name,
      );
      for (const [status, response] of Object.entries(operation.responses)) {
        const headers = Object.keys(response.headers);
        assert.ok(headers.includes("X-Trace-Id"), `${method.name} ${status}: X-Trace-Id`);
        assert.equal(
          headers.includes("Retry-After"),
          ["409", "429", "503"].includes(status),
          `${method.name} ${status}: Retry-After`,
        );
        assert.equal(
          headers.includes("Idempotent-Replayed"),
          method.write && ["200", "400", "404"].includes(status),
          `${method.name} ${status}: Idempotent-Replayed`,
        );
      }
    }
  });

  it("takes meta.checkVersion unsigned and without a required body", () => {
    const operation = operationOf("meta.checkVersion");
    assert.deepEqual(operation.security, []);
    assert.equal(operation.requestBody.required, false);
    assert.equal(operationOf("workflow.create").requestBody.required, true);
  });
});

/**
 * The options @fastify/swagger is registered with: the document's fixed parts, and one pass over
 * the document it generates from the routes that names the shared schemas and completes each
 * method's operation from its declaration. Both /openapi.json and `npm run openapi` (via
 * `app.swagger()`) get the finished document.
 */
import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import type { MethodDefinition } from "../methods/define.js";
import { ComponentSchemas, type JsonObject } from "./openapi-components.js";
import { openApiInfo } from "./openapi-metadata.js";
import { completeOperation } from "./openapi-operations.js";

/** Names every titled schema, then completes each method's operation; throws on a name clash. */
export function finishDocument(document: JsonObject, methods: readonly MethodDefinition[]): JsonObject {
  const byName = new Map(methods.map((method) => [method.name, method]));
  const schemasHolder = (document.components ?? {}) as JsonObject;
  const schemas = (schemasHolder.schemas ?? {}) as JsonObject;
  const components = new ComponentSchemas(schemas);
  const paths = components.lift(document.paths ?? {}) as Record<string, { post?: JsonObject }>;
  for (const [path, item] of Object.entries(paths)) {
    const method = byName.get(path.slice(1));
    if (method && item.post) completeOperation(item.post, method, components);
  }
  // Sorted by name, so the checked-in document changes only where a schema does.
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...document, paths, components: { ...schemasHolder, schemas: sorted } };
}

export function openApiOptions(methods: readonly MethodDefinition[]): FastifyDynamicSwaggerOptions {
  return {
    openapi: openApiInfo as FastifyDynamicSwaggerOptions["openapi"],
    // OpenAPI 3.1 schemas are JSON Schema 2020-12, where `const` is native (meta.status, literals).
    convertConstToEnum: false,
    transformObject: (documents) =>
      "openapiObject" in documents
        ? (finishDocument(documents.openapiObject as JsonObject, methods) as typeof documents.openapiObject)
        : documents.swaggerObject,
  };
}

/**
 * Named component schemas. A schema declared with a `title` (the shared objects in
 * src/methods/*-fields.ts, *-objects.ts, envelope.ts) is one component of that name: every copy of
 * it in the document is replaced by a `$ref`. The title is the marker rather than `$id` because
 * `$id` changes how Ajv and fast-json-stringify resolve the route schemas at run time; a title is
 * an annotation nothing at run time reads.
 */

export type JsonObject = { [key: string]: unknown };

const PREFIX = "#/components/schemas/";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted, so two equal schemas compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export class ComponentClash extends Error {
  override name = "ComponentClash";
}

/** The document's `components.schemas`, filled by name; one name holds one schema only. */
export class ComponentSchemas {
  /** Each name's schema without its title and description (shapeOf). */
  private readonly shapes = new Map<string, string>();

  constructor(private readonly schemas: JsonObject) {
    for (const [name, schema] of Object.entries(schemas)) this.shapes.set(name, shapeOf(schema));
  }

  /**
   * Adds `schema` as `name` and returns the `$ref` that replaces it; the same schema again returns
   * the same `$ref`, another schema under a name already taken throws ComponentClash. A copy whose
   * description differs keeps its own as a sibling of the `$ref` (allowed from OpenAPI 3.1 on).
   */
  add(name: string, schema: JsonObject): JsonObject {
    const shape = shapeOf(schema);
    const known = this.shapes.get(name);
    if (known === undefined) {
      this.shapes.set(name, shape);
      this.schemas[name] = schema;
    } else if (known !== shape) {
      throw new ComponentClash(
        `Two different schemas are named ${name}: give one of them another title.\n  ${known}\n  ${shape}`,
      );
    }
    const ref: JsonObject = { $ref: `${PREFIX}${name}` };
    const registered = this.schemas[name] as JsonObject;
    if (schema.description !== undefined && schema.description !== registered.description)
      ref.description = schema.description;
    return ref;
  }

  /**
   * Replaces every titled schema inside `node` by a `$ref` to its component, innermost first, so
   * each component refers to the ones inside it. Returns the node to put in the titled one's place.
   */
  lift(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.lift(item));
    if (!isObject(node)) return node;
    for (const key of Object.keys(node)) node[key] = this.lift(node[key]);
    if (typeof node.title !== "string") return node;
    const nullable = nonNullPart(node);
    if (nullable === undefined) return this.add(node.title, node);
    // Nullable(X) of a named X (schema.ts) is the same shape with "null" added: X or null.
    const { description, ...rest } = nullable;
    const ref = this.add(node.title, rest);
    return { anyOf: [ref, { type: "null" }], ...(description === undefined ? {} : { description }) };
  }
}

function shapeOf(schema: unknown): string {
  if (!isObject(schema)) return canonical(schema);
  // The title is the name itself; a description may differ per copy (add() keeps it by the $ref).
  const { description: _description, title: _title, ...shape } = schema;
  return canonical(shape);
}

/** For a schema whose `type` lists "null" beside one other type: the schema without the null. */
function nonNullPart(schema: JsonObject): JsonObject | undefined {
  const { type } = schema;
  if (!Array.isArray(type) || !type.includes("null")) return undefined;
  const others = type.filter((t) => t !== "null");
  if (others.length !== 1) return undefined;
  const result: JsonObject = { ...schema, type: others[0] };
  if (Array.isArray(schema.enum)) result.enum = schema.enum.filter((value) => value !== null);
  return result;
}

/** The component a `$ref` points to, by name. */
export function componentRef(name: string): JsonObject {
  return { $ref: `${PREFIX}${name}` };
}

/**
 * Property-based fuzzing of every method's request body (issue 4, item 6). Bodies are generated
 * from each method's own request schema — valid ones, mutated ones and raw bytes — and sent
 * correctly signed with a strict credential. For every response: never a 5xx, always the envelope,
 * and a refused request leaves every table (but `nonces`) exactly as it was.
 *
 * Replay a failure with the seed fast-check prints: `FUZZ_SEED=<seed> npm test -- fuzz-bodies`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { METHODS } from "../src/methods/index.js";
import { signCursor } from "../src/methods/pagination.js";
import { databaseKinds } from "./support/databases.js";
import { createFuzzWorld, type FuzzWorld } from "./support/fuzz-fixture.js";
import {
  assertEnvelope,
  assertPrototypesClean,
  fuzzParameters,
  prototypeKeys,
  sendBytes,
} from "./support/fuzz-http.js";
import { fuzzBodies, serialize } from "./support/fuzz-mutations.js";
import { type DatabaseProbe, openProbe } from "./support/fuzz-probe.js";
import { type JsonSchema, validValue } from "./support/fuzz-schema.js";
import { signedHeaders } from "./support/http.js";
import { TEST_CURSOR_KEY, useTestServer } from "./support/server.js";

/** Runs per method and database; FUZZ_RUNS scales it. */
const RUNS = 60;

/**
 * BAD_REQUEST a schema-valid body may still get: rules the handler checks after validation
 * (details present exactly for BUSINESS_APPLICATION; a cursor this server did not issue; the
 * rules of a webhook URL beyond its scheme; a document larger than the server allows).
 */
const CHECKED_AFTER_VALIDATION = new Set([
  "workflow.details",
  "workflow.details.business_application_details",
  "cursor",
  // A webhook URL's host, credentials and http:// depend on the server's --allow-insecure-webhooks.
  "config.url",
  // The largest document is the server's --document-max-bytes.
  "file_size_in_bytes",
]);

/** Fields judged after validation, below these paths: metadata details follow their type's fields. */
const CHECKED_AFTER_VALIDATION_BELOW = ["metadata.details"];

function checkedAfterValidation(field: string): boolean {
  return (
    CHECKED_AFTER_VALIDATION.has(field) ||
    CHECKED_AFTER_VALIDATION_BELOW.some((path) => field === path || field.startsWith(`${path}.`))
  );
}

/**
 * A generated cursor signed for the list it is sent to (the method and its filter parameters), as
 * the server would have issued it: otherwise the tag check refuses it before the
 * position reaches SQL.
 */
function signedCursorFor(method: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || !("cursor" in value)) return value;
  // show_sensitive_data and verbose shape the answer, not which list it is: a cursor does not bind them.
  const {
    cursor,
    limit: _limit,
    show_sensitive_data: _show,
    verbose: _verbose,
    ...filter
  } = value as Record<string, unknown>;
  if (typeof cursor !== "string") return value;
  const scope = { method, filter: filter as Record<string, string> };
  return { ...value, cursor: signCursor(TEST_CURSOR_KEY, scope, cursor) };
}

for (const kind of databaseKinds()) {
  describe(`fuzz: request bodies [${kind}]`, () => {
    const server = useTestServer(kind);
    const prototypeBefore = prototypeKeys();
    let probe: DatabaseProbe | undefined;
    let world: FuzzWorld;

    before(async () => {
      probe = await openProbe(server().database);
      world = await createFuzzWorld(server());
    });
    after(async () => {
      await probe?.close();
    });

    /** Up to 200 more valid bodies, sent until one is answered with anything but BAD_REQUEST. */
    async function anyValidBodyGetsThrough(name: string, schema: JsonSchema): Promise<boolean> {
      const target = `/${name}`;
      const valid = validValue(schema, world.pool).map((value) => signedCursorFor(name, value));
      for (const value of fc.sample(valid, 200)) {
        const bytes = Buffer.from(serialize(value), "utf8");
        const headers = signedHeaders(world.fixture.credential, target, bytes);
        const envelope = assertEnvelope(await sendBytes(server().url, target, headers, bytes));
        if (envelope.errors?.[0]?.code !== "BAD_REQUEST") return true;
      }
      return false;
    }

    for (const method of METHODS) {
      it(`${method.name}: never a 5xx, always the envelope, nothing written when refused`, async () => {
        const target = `/${method.name}`;
        const bodies = fuzzBodies(method.request as JsonSchema, world.pool, (value) =>
          signedCursorFor(method.name, value),
        );
        const outcomes = new Map<string, number>();
        await fc.assert(
          fc.asyncProperty(bodies, async (body) => {
            const snapshot = await probe?.snapshot();
            const headers = signedHeaders(world.fixture.credential, target, body.bytes);
            const response = await sendBytes(server().url, target, headers, body.bytes);
            const envelope = assertEnvelope(response);
            const code = envelope.errors?.[0]?.code ?? "SUCCESS";
            outcomes.set(`${body.kind} ${code}`, (outcomes.get(`${body.kind} ${code}`) ?? 0) + 1);
            if (response.status === 200) return;
            assert.deepEqual(
              await probe?.snapshot(),
              snapshot,
              `a refused ${method.name} changed the database`,
            );
            if (body.kind !== "valid") return;
            // A declaration's cross-field rules may refuse a schema-valid body: exactly on their fields.
            const refused = new Set(
              method.refine?.(JSON.parse(body.bytes.toString("utf8"))).map((issue) => issue.field),
            );
            for (const error of envelope.errors ?? []) {
              if (error.code !== "BAD_REQUEST") continue;
              assert.ok(
                checkedAfterValidation(String(error.field)) || refused.has(String(error.field)),
                `a schema-valid body was refused: ${response.text}`,
              );
            }
          }),
          fuzzParameters(RUNS),
        );
        // The generator must reach past validation: some valid bodies get a non-BAD_REQUEST answer.
        // Rules judged after validation (a file larger than this server takes, a webhook URL's host)
        // refuse most of some methods' valid bodies, so a run's few may all be refused by chance:
        // then more valid bodies are drawn, and one of them must get through.
        const deeper = [...outcomes.keys()].some((k) => k.startsWith("valid ") && k !== "valid BAD_REQUEST");
        const reached = deeper || (await anyValidBodyGetsThrough(method.name, method.request as JsonSchema));
        assert.ok(reached, `no valid body got past validation: ${JSON.stringify([...outcomes])}`);
      });
    }

    it("leaves Object.prototype untouched after all the runs", () => {
      assertPrototypesClean(prototypeBefore);
    });
  });
}

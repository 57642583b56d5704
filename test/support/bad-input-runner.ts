/**
 * Runs a table of bad bodies against one method through real HTTP (correctly signed, so only the
 * body is at fault) and checks each answer is exactly the expected BAD_REQUEST errors in the
 * error envelope, and that none of them wrote anything.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import type { BadInputCase } from "./bad-request.js";
import { assertError, send, sendSigned } from "./http.js";
import type { Fixture, TestServer } from "./server.js";

export interface BadInputSuite {
  server: () => TestServer;
  fixture: () => Promise<Fixture>;
}

/** One lazily made fixture per suite: the tables only need a valid account and credential. */
export function sharedFixture(server: () => TestServer): () => Promise<Fixture> {
  let fixture: Promise<Fixture> | undefined;
  return () => {
    fixture ??= server().fixture();
    return fixture;
  };
}

export function badInputCases(
  suite: BadInputSuite,
  method: string,
  cases: (fixture: Fixture) => BadInputCase[],
  options: { signed?: boolean } = {},
): void {
  it(`${method}: every bad body is BAD_REQUEST on the exact fields, and writes nothing`, async () => {
    const fixture = await suite.fixture();
    const before = await writtenState(suite.server(), fixture);
    for (const [name, body, errors] of cases(fixture)) {
      const bytes = JSON.stringify(body);
      const response =
        options.signed === false
          ? await send(suite.server().url, `/${method}`, {
              body: bytes,
              headers: { "content-type": "application/json" },
            })
          : await sendSigned(suite.server().url, fixture.credential, method, bytes);
      try {
        assertError(response, 400, errors);
      } catch (error) {
        throw new Error(`${method}, ${name}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(await writtenState(suite.server(), fixture), before);
  });
}

/** What a write in the fixture's account would change: its subject records and events. */
export async function writtenState(server: TestServer, fixture: Fixture) {
  const records = await server.store.listSubjectRecords(fixture.account.id, { limit: 1000 });
  const events = await server.store.listEvents({ accountId: fixture.account.id });
  return { records: records.items.map((r) => r.id), events: events.map((e) => e.id) };
}

/**
 * wire.md: a header that KSig1 or wire.md defines, sent twice, is refused — the signing headers as
 * AUTHENTICATION_FAILED/MALFORMED_AUTHORIZATION (KSig1 step 1), Content-Type, X-API-Version and
 * Idempotency-Key as BAD_REQUEST on the header. Node's parser keeps the first Authorization or
 * Content-Type and joins the others with ", ", so these go out on a raw connection where each
 * header line is exactly as written. Every refused request writes nothing.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { describe, it } from "node:test";
import { LATEST_VERSION } from "../src/domain/versions.js";
import { databaseKinds } from "./support/databases.js";
import {
  assertAuthFailed,
  assertError,
  assertSuccess,
  type RawResponse,
  signedHeaders,
} from "./support/http.js";
import { type Fixture, useTestServer } from "./support/server.js";
import { accountRows } from "./support/workflows.js";

const TARGET = "/workflow.create";

/** POSTs with each header as given; an array value goes out as that many header lines. */
function sendRepeated(
  baseUrl: string,
  target: string,
  headers: Record<string, string | string[]>,
  body: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(target, baseUrl), { method: "POST" }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (typeof value === "string") responseHeaders.set(name, value);
        }
        resolve({
          status: response.statusCode ?? 0,
          headers: responseHeaders,
          json: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        });
      });
    });
    request.on("error", reject);
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
    request.end(body);
  });
}

/** Signed headers for a provisioning create; `twice` names the header to send a second time. */
function headersWith(fixture: Fixture, body: string, twice?: string) {
  const headers: Record<string, string | string[]> = {
    ...signedHeaders(fixture.credential, TARGET, body, { version: LATEST_VERSION }),
    "idempotency-key": `key-${Math.random()}`,
  };
  if (twice === undefined) return headers;
  const value = headers[twice];
  assert.equal(typeof value, "string", `the signed request has no ${twice} to repeat`);
  headers[twice] = [value as string, value as string];
  return headers;
}

const SIGNING_HEADERS = [
  "Authorization",
  "X-API-Key",
  "X-API-Auth-Token",
  "X-API-Signed-Elements",
  "X-API-Timestamp",
  "X-API-Nonce",
  "X-API-Content-Hash",
];
const WIRE_HEADERS = ["Content-Type", "X-API-Version", "Idempotency-Key"];

for (const kind of databaseKinds()) {
  describe(`headers sent twice [${kind}]`, () => {
    const server = useTestServer(kind);
    const bodyFor = (fixture: Fixture) =>
      JSON.stringify({ account_id: fixture.account.id, workflow: { type: "ACCOUNT_PROVISIONING" } });

    /** Sends a create with `name` twice, checks the answer, and that the account gained no rows. */
    async function sentTwiceWritesNothing(
      name: string,
      check: (response: Awaited<ReturnType<typeof sendRepeated>>) => void,
    ) {
      const fixture = await server().fixture();
      const body = bodyFor(fixture);
      const before = await accountRows(server(), fixture.account.id);
      check(await sendRepeated(server().url, TARGET, headersWith(fixture, body, name.toLowerCase()), body));
      assert.deepEqual(await accountRows(server(), fixture.account.id), before);
    }

    it("the baseline: every header once is accepted", async () => {
      const fixture = await server().fixture();
      const body = bodyFor(fixture);
      assertSuccess(await sendRepeated(server().url, TARGET, headersWith(fixture, body), body));
    });

    for (const name of SIGNING_HEADERS) {
      it(`${name} twice (the same value) is MALFORMED_AUTHORIZATION, and writes nothing`, async () => {
        await sentTwiceWritesNothing(name, (response) =>
          assertAuthFailed(response, "MALFORMED_AUTHORIZATION", `${name} is sent more than once`),
        );
      });
    }

    for (const name of WIRE_HEADERS) {
      it(`${name} twice (the same value) is BAD_REQUEST on ${name}, and writes nothing`, async () => {
        await sentTwiceWritesNothing(name, (response) =>
          assertError(response, 400, [
            { code: "BAD_REQUEST", message: `${name} is sent more than once`, field: name },
          ]),
        );
      });
    }

    it("Content-Type twice is BAD_REQUEST even when the second is not JSON (not the first one's 200)", async () => {
      const fixture = await server().fixture();
      const body = bodyFor(fixture);
      const headers = headersWith(fixture, body, "content-type");
      headers["content-type"] = ["application/json", "text/plain"];
      assertError(await sendRepeated(server().url, TARGET, headers, body), 400, [
        { code: "BAD_REQUEST", message: "Content-Type is sent more than once", field: "Content-Type" },
      ]);
    });

    it("meta.checkVersion reads no signing header, so it ignores them even twice; Content-Type twice is refused", async () => {
      const ignored = await sendRepeated(
        server().url,
        "/meta.checkVersion",
        { "content-type": "application/json", authorization: ["KSig1-HMAC-SHA256 a", "KSig1-HMAC-SHA256 b"] },
        "{}",
      );
      assertSuccess(ignored);
      const refused = await sendRepeated(
        server().url,
        "/meta.checkVersion",
        { "content-type": ["application/json", "application/json"] },
        "{}",
      );
      assertError(refused, 400, [
        { code: "BAD_REQUEST", message: "Content-Type is sent more than once", field: "Content-Type" },
      ]);
    });
  });
}

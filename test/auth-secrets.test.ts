/**
 * Secrets at rest and in logs (ksig1.md, operator.md): the stored credential row holds neither the
 * secret key nor the auth token in any common encoding, and no log line carries them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { IssuedCredential } from "../src/admin/operator.js";
import { databaseKinds, type TestDatabase } from "./support/databases.js";
import { assertSuccess, send, sendSigned, signedHeaders } from "./support/http.js";
import { useTestServer } from "./support/server.js";

/** The credentials row exactly as the database holds it, read past the store. */
async function rawCredentialRow(database: TestDatabase, apiKey: string): Promise<Record<string, unknown>> {
  if (database.target.kind === "sqlite") {
    const db = new BetterSqlite3(database.target.path, { readonly: true });
    try {
      return db.prepare("select * from credentials where api_key = ?").get(apiKey) as Record<string, unknown>;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.target.url });
  await client.connect();
  try {
    const result = await client.query("select * from credentials where api_key = $1", [apiKey]);
    return result.rows[0] as Record<string, unknown>;
  } finally {
    await client.end();
  }
}

/** Every form a leaked secret could take in text. */
function secretForms(credential: IssuedCredential): string[] {
  const secretBytes = Buffer.from(credential.secret_key, "base64");
  return [
    credential.secret_key,
    secretBytes.toString("hex"),
    secretBytes.toString("hex").toUpperCase(),
    secretBytes.toString("base64url"),
    // The middle of the key, so a re-encoding with other line breaks or padding is still caught.
    credential.secret_key.slice(8, 36),
    credential.auth_token,
    Buffer.from(credential.auth_token, "utf8").toString("hex"),
    Buffer.from(credential.auth_token, "utf8").toString("base64"),
  ];
}

function assertNoSecrets(text: string, credentials: IssuedCredential[], where: string): void {
  for (const credential of credentials) {
    for (const form of secretForms(credential)) {
      assert.ok(!text.includes(form), `${where} contains a secret of ${credential.api_key} (${form})`);
    }
  }
}

for (const kind of databaseKinds()) {
  describe(`secrets at rest and in logs [${kind}]`, () => {
    const server = useTestServer(kind);

    it("the stored credential row holds neither the secret key nor the auth token", async () => {
      const strict = (await server().fixture()).credential;
      const compat = (await server().fixture({ credential: { signaturePolicy: "compat" } })).credential;
      for (const credential of [strict, compat]) {
        const row = await rawCredentialRow(server().database, credential.api_key);
        assert.equal(row.api_key, credential.api_key);
        const text = JSON.stringify(row, (_key, value) =>
          Buffer.isBuffer(value) ? value.toString("hex") : value,
        );
        assertNoSecrets(text, [credential], "the credentials row");
        // The sealed value and the token hash are there, so the row was really read.
        assert.match(String(row.secret_key_sealed), /^v2:[0-9a-f]{16}:/);
        assert.match(String(row.auth_token_hash), /^[0-9a-f]{64}$/);
      }
    });

    it("no log line carries a secret key or auth token, after successes and failures alike", async () => {
      const one = await server().fixture();
      const two = await server().fixture({ credential: { signaturePolicy: "compat" } });
      const readOnly = await server().fixture({ credential: { readOnly: true } });
      const url = server().url;
      const create = (accountId: string) => ({ account_id: accountId, subject_record: { type: "BUSINESS" } });

      assertSuccess(await sendSigned(url, one.credential, "subjectRecord.create", create(one.account.id)));
      assertSuccess(
        await sendSigned(
          url,
          two.credential,
          "subjectRecord.list",
          { account_id: two.account.id },
          {
            elements: ["API-Key"],
          },
        ),
      );
      const failures = [
        // wrong token, wrong secret (each other's), swapped body, replay, bad body, read-only write
        await sendSigned(
          url,
          { ...one.credential, auth_token: two.credential.auth_token },
          "subjectRecord.list",
          {
            account_id: one.account.id,
          },
        ),
        await sendSigned(
          url,
          { ...one.credential, secret_key: two.credential.secret_key },
          "subjectRecord.list",
          {
            account_id: one.account.id,
          },
        ),
        await send(url, "/subjectRecord.list", {
          body: "{}",
          headers: signedHeaders(
            one.credential,
            "/subjectRecord.list",
            JSON.stringify({ account_id: "sb_x" }),
          ),
        }),
        await sendSigned(url, one.credential, "subjectRecord.create", { account_id: 42 }),
        await sendSigned(url, readOnly.credential, "subjectRecord.create", create(readOnly.account.id)),
        await send(url, "/subjectRecord.list", {
          body: "{not json",
          headers: signedHeaders(one.credential, "/subjectRecord.list", "{not json"),
        }),
      ];
      const body = JSON.stringify({ account_id: one.account.id });
      const headers = signedHeaders(one.credential, "/subjectRecord.list", body);
      assertSuccess(await send(url, "/subjectRecord.list", { body, headers }));
      failures.push(await send(url, "/subjectRecord.list", { body, headers }));
      assert.deepEqual(
        failures.map((f) => f.status),
        [401, 401, 401, 400, 403, 400, 401],
      );

      const logs = server().logs.join("");
      // At least one line per request was written, so there was something to leak into.
      assert.ok(server().logs.length >= 10);
      assertNoSecrets(logs, [one.credential, two.credential, readOnly.credential], "the server log");
    });
  });
}

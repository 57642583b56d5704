/**
 * workflow.create may take a credential it has seen valid from memory and confirm it unrevoked
 * inside its own write (one round trip less on PostgreSQL). These tests hold it to the contract
 * every other method keeps by reading the credential: a revoked credential fails from its very
 * next request on, with INVALID_CREDENTIALS — whatever later check the request would also fail —
 * and writes nothing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAuthenticator } from "../src/auth/authenticate.js";
import { signRequest } from "../src/auth/ksig1.js";
import { createSecretBox } from "../src/auth/secret-box.js";
import { databaseKinds } from "./support/databases.js";
import { send, signedHeaders } from "./support/http.js";
import { startSecondApp, TEST_MASTER_KEY, type TestServer, useTestServer } from "./support/server.js";
import { queryRows } from "./support/sql.js";

const INVALID_CREDENTIALS = [
  {
    code: "AUTHENTICATION_FAILED",
    message: "The API key or auth token is not valid",
    sub_code: "INVALID_CREDENTIALS",
  },
];

type Credential = Parameters<typeof signedHeaders>[0];

function signedCreate(credential: Credential, body: unknown, headers: Record<string, string> = {}) {
  const bytes = JSON.stringify(body);
  return { body: bytes, headers: { ...signedHeaders(credential, "/workflow.create", bytes), ...headers } };
}

/** An authenticator over the server's real store that counts its credential reads. */
function countingAuthenticator(server: TestServer) {
  let reads = 0;
  const authenticator = createAuthenticator({
    store: {
      getCredential(apiKey) {
        reads++;
        return server.store.getCredential(apiKey);
      },
    },
    secretBox: createSecretBox(TEST_MASTER_KEY),
    clock: server.clock,
    maxClockSkewSeconds: 300,
  });
  return { authenticator, reads: () => reads };
}

async function countRows(server: TestServer, accountId: string) {
  const records = await server.store.listSubjectRecords(accountId, { limit: 1000 });
  return records.items.length;
}

for (const kind of databaseKinds()) {
  describe(`workflow.create confirms a remembered credential in its own write [${kind}]`, () => {
    const server = useTestServer(kind);

    /** A credential that has just made a successful create, so the server remembers it. */
    async function rememberedThenRevoked() {
      const fixture = await server().fixture();
      const body = { account_id: fixture.account.id, workflow: { type: "ACCOUNT_PROVISIONING" } };
      for (let i = 0; i < 2; i++) {
        const ok = await send(server().url, "/workflow.create", signedCreate(fixture.credential, body));
        assert.equal(ok.status, 200);
      }
      await server().operator.revokeCredential(fixture.credential.api_key);
      return { ...fixture, body, rowsBefore: await countRows(server(), fixture.account.id) };
    }

    it("a create right after the revocation fails and writes nothing", async () => {
      const { credential, account, body, rowsBefore } = await rememberedThenRevoked();
      const response = await send(server().url, "/workflow.create", signedCreate(credential, body));
      assert.equal(response.status, 401);
      assert.deepEqual(response.json.errors, INVALID_CREDENTIALS);
      assert.equal(await countRows(server(), account.id), rowsBefore);
      // And it keeps failing: the server no longer takes it from memory.
      const again = await send(server().url, "/workflow.create", signedCreate(credential, body));
      assert.deepEqual(again.json.errors, INVALID_CREDENTIALS);
    });

    it("a create the database cannot take is answered 503 at once, without asking it again", async () => {
      // Settling the remembered credential and the nonce would ask the same unavailable database
      // and wait out another of its timeouts (on a frozen PostgreSQL: 10 s instead of 5).
      const { credential, account } = await server().fixture();
      const body = { account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } };
      const askedWhileDown: string[] = [];
      let down = false;
      const second = await startSecondApp(server(), {}, (store) => ({
        ...store,
        write(unit) {
          if (!down) return store.write(unit);
          askedWhileDown.push("write");
          const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
            code: "ECONNREFUSED",
          });
          return Promise.reject(refused);
        },
        getCredential(apiKey) {
          if (down) askedWhileDown.push("getCredential");
          return store.getCredential(apiKey);
        },
        claimNonce(...args) {
          if (down) askedWhileDown.push("claimNonce");
          return store.claimNonce(...args);
        },
      }));
      try {
        // The first create reads the credential; from then on the app takes it from memory.
        const ok = await send(second.url, "/workflow.create", signedCreate(credential, body));
        assert.equal(ok.status, 200);
        down = true;
        const refused = await send(second.url, "/workflow.create", signedCreate(credential, body));
        assert.equal(refused.status, 503);
        assert.deepEqual(refused.json.errors, [
          { code: "SERVICE_UNAVAILABLE", message: "The database is unavailable" },
        ]);
        assert.deepEqual(askedWhileDown, ["write"]);
      } finally {
        await second.stop();
      }
    });

    it("INVALID_CREDENTIALS outranks a body that fails validation or a rule", async () => {
      const { credential, account } = await rememberedThenRevoked();
      const invalid = signedCreate(credential, { account_id: account.id, workflow: { type: "NOPE" } });
      assert.deepEqual(
        (await send(server().url, "/workflow.create", invalid)).json.errors,
        INVALID_CREDENTIALS,
      );
      const unknownAccount = signedCreate(credential, {
        account_id: "sb_0000000000000000000000",
        workflow: { type: "ACCOUNT_PROVISIONING" },
      });
      assert.deepEqual(
        (await send(server().url, "/workflow.create", unknownAccount)).json.errors,
        INVALID_CREDENTIALS,
      );
    });

    it("INVALID_CREDENTIALS outranks a later authentication check (the content hash)", async () => {
      const { credential, body } = await rememberedThenRevoked();
      const request = signedCreate(credential, body);
      const tampered = { ...request, body: JSON.stringify({ ...body, extra: 1 }) };
      assert.deepEqual(
        (await send(server().url, "/workflow.create", tampered)).json.errors,
        INVALID_CREDENTIALS,
      );
    });

    it("with an Idempotency-Key the credential is read as for any method", async () => {
      const { credential, body } = await rememberedThenRevoked();
      const request = signedCreate(credential, body, { "idempotency-key": "after-revoke-1" });
      assert.deepEqual(
        (await send(server().url, "/workflow.create", request)).json.errors,
        INVALID_CREDENTIALS,
      );
    });

    it("a read-only credential revoked after it was remembered gets 401, not 403", async () => {
      const { credential, account } = await server().fixture({ credential: { readOnly: true } });
      const body = { account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } };
      const refused = await send(server().url, "/workflow.create", signedCreate(credential, body));
      assert.equal(refused.status, 403);
      await server().operator.revokeCredential(credential.api_key);
      const response = await send(server().url, "/workflow.create", signedCreate(credential, body));
      assert.deepEqual(response.json.errors, INVALID_CREDENTIALS);
    });

    it("reads the credential once while it is remembered, on every request without deferral, and again once forgotten", async () => {
      const { credential } = await server().fixture();
      const { authenticator, reads } = countingAuthenticator(server());
      const authenticate = (deferCredentialCheck: boolean) => {
        const body = Buffer.from("{}");
        const headers = signRequest(
          { apiKey: credential.api_key, secretKey: credential.secret_key, authToken: credential.auth_token },
          { target: "/workflow.create", body },
        );
        return authenticator.authenticate(
          { method: "POST", target: "/workflow.create", headers, body },
          { deferCredentialCheck },
        );
      };
      const first = await authenticate(true);
      assert.equal(first.guard.credentialToConfirm, null, "the first sighting is read from the database");
      const second = await authenticate(true);
      assert.equal(second.guard.credentialToConfirm, credential.api_key, "left to the unit of work");
      assert.equal(reads(), 1);
      await authenticate(false);
      await authenticate(false);
      assert.equal(reads(), 3);
      // A unit of work that found it revoked makes the route forget it: the next request reads it.
      authenticator.forget(credential.api_key);
      const third = await authenticate(true);
      assert.equal(third.guard.credentialToConfirm, null);
      assert.equal(reads(), 4);
    });

    it("a wrong token costs the same database reads whether or not the key is remembered", async () => {
      // Only the right token may use the remembered credential; a wrong one reads the database,
      // as for an unknown key, so no timing tells a recently used key from one that does not exist.
      const { credential } = await server().fixture();
      const { authenticator, reads } = countingAuthenticator(server());
      const authenticate = (apiKey: string, authToken: string) => {
        const body = Buffer.from("{}");
        const headers = signRequest(
          { apiKey, secretKey: credential.secret_key, authToken },
          { target: "/workflow.create", body },
        );
        return authenticator.authenticate(
          { method: "POST", target: "/workflow.create", headers, body },
          { deferCredentialCheck: true },
        );
      };
      const readsOf = async (work: () => Promise<unknown>) => {
        const before = reads();
        await work().catch(() => undefined);
        return reads() - before;
      };
      const refused = (error: { details?: { sub_code?: string } }) =>
        error.details?.sub_code === "INVALID_CREDENTIALS";
      const wrongToken = `${credential.auth_token}x`;
      await authenticate(credential.api_key, credential.auth_token); // now remembered

      await assert.rejects(authenticate(credential.api_key, wrongToken), refused);
      await assert.rejects(authenticate("key_unknown00000000000000", wrongToken), refused);
      const rememberedKey = await readsOf(() => authenticate(credential.api_key, wrongToken));
      const unknownKey = await readsOf(() => authenticate("key_unknown00000000000000", wrongToken));
      assert.equal(rememberedKey, unknownKey);
      assert.equal(unknownKey, 1);

      // The right token still skips the read, also right after a wrong one.
      const right = await readsOf(() => authenticate(credential.api_key, credential.auth_token));
      assert.equal(right, 0);
    });

    it("a remembered credential that is still valid keeps working, and its replays are caught", async () => {
      const { credential, account } = await server().fixture();
      const body = { account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } };
      for (let i = 0; i < 3; i++) {
        const ok = await send(server().url, "/workflow.create", signedCreate(credential, body));
        assert.equal(ok.status, 200);
      }
      const request = signedCreate(credential, body);
      assert.equal((await send(server().url, "/workflow.create", request)).status, 200);
      const replay = await send(server().url, "/workflow.create", request);
      assert.equal(replay.json.errors?.[0]?.sub_code, "NONCE_REUSED");
      assert.equal(await countRows(server(), account.id), 4);
    });
  });
}

for (const kind of databaseKinds()) {
  describe(`workflow.create with the shared (database) rate limit reads the credential first [${kind}]`, () => {
    const server = useTestServer(kind, { config: { rateLimit: { perSecond: 0.1, burst: 5, shared: true } } });

    it("a revoked credential takes no rate-limit token: its request writes nothing", async () => {
      const { credential, account } = await server().fixture();
      const body = { account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } };
      for (let i = 0; i < 2; i++) {
        assert.equal(
          (await send(server().url, "/workflow.create", signedCreate(credential, body))).status,
          200,
        );
      }
      await server().operator.revokeCredential(credential.api_key);
      const bucket = () =>
        queryRows(server().database, "select tokens, refilled_ms from rate_buckets where api_key = $1", [
          credential.api_key,
        ]);
      const before = await bucket();
      assert.equal(before.length, 1);
      const response = await send(server().url, "/workflow.create", signedCreate(credential, body));
      assert.deepEqual(response.json.errors, INVALID_CREDENTIALS);
      assert.deepEqual(await bucket(), before);
    });
  });
}

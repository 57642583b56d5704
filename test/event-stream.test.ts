/**
 * GET /events.stream (webhooks.md "Live event stream"): every event of the account once, in
 * commit order, each `data` the envelope an endpoint would receive; resumption with Last-Event-ID;
 * the refusals before the stream starts; and, on PostgreSQL, an event whose transaction commits
 * after a later one's is still streamed, not skipped.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openEventStream } from "@vetted/client";
import pg from "pg";
import { newId } from "../src/domain/ids.js";
import { createBusiness } from "./support/data.js";
import { databaseKinds } from "./support/databases.js";
import { openMessage, streamFor } from "./support/event-stream.js";
import { send } from "./support/http.js";
import type { Fixture, TestServer } from "./support/server.js";
import { useTestServer } from "./support/server.js";
import { addWebhookKey } from "./support/webhook-rows.js";
import { activateWebhookKey, createWebhookKey } from "./support/webhooks.js";
import { createProvisioning, createSubjectRecord, expectOk } from "./support/workflows.js";

function optionsOf(server: TestServer, fixture: Fixture) {
  return {
    baseUrl: server.url,
    apiKey: fixture.credential.api_key,
    secretKey: fixture.credential.secret_key,
    authToken: fixture.credential.auth_token,
  };
}

for (const kind of databaseKinds()) {
  describe(`event stream [${kind}]`, () => {
    const server = useTestServer(kind, { config: { eventStream: { pollIntervalMs: 20, keepAliveMs: 100 } } });

    it("streams each event of the account once, in commit order, sealed with the ACTIVE key", async () => {
      const fixture = await server().fixture({ credential: { name: "stream-writer" } });
      const { client, account, credential } = fixture;
      const key = await addWebhookKey(server().database, account.id);
      // An event from before the stream opened is not streamed.
      await createProvisioning(client, account.id);
      const stream = await streamFor(server(), credential, account.id);
      try {
        const workflow = await createProvisioning(client, account.id, { state: "CREATED" });
        expectOk(await client.call("workflow.start", { workflow_id: workflow.workflow_id }));
        await createBusiness(client, workflow.subject_record_id, { legal_name: "Streamed LLC" });
        const doomed = await createProvisioning(client, account.id, { state: "CREATED" });
        expectOk(await client.call("workflow.delete", { workflow_id: doomed.workflow_id }));
        const stored = (await server().store.listEvents({ accountId: account.id })).slice(1);
        assert.deepEqual(
          stored.map((event) => event.event_type),
          [
            "WORKFLOW_CREATED",
            "WORKFLOW_STARTED",
            "BUSINESS_CREATED",
            "WORKFLOW_CREATED",
            "WORKFLOW_DELETED",
          ],
        );
        for (const expected of stored) {
          const message = await stream.nextEvent();
          assert.equal(message.id, expected.id);
          assert.equal(message.event, expected.event_type);
          assert.equal(message.envelope.timestamp, expected.created_at);
          assert.equal(message.envelope.account_id, account.id);
          const payload = await openMessage(message, key);
          assert.equal(payload.subject_record_id, expected.subject_record_id);
          assert.deepEqual(payload.user_context, { user_id: "stream-writer", user_type: "API_KEY" });
        }
        // Nothing repeated or extra: the next message is the next event written.
        const marker = await createProvisioning(client, account.id);
        const next = await stream.nextEvent();
        assert.equal(next.event, "WORKFLOW_STARTED");
        assert.equal((await openMessage(next, key)).workflow_id, marker.workflow_id);
      } finally {
        stream.close();
      }
    });

    it("resumes after Last-Event-ID with exactly the later events, then the live ones", async () => {
      const { client, account, credential } = await server().fixture();
      const key = await addWebhookKey(server().database, account.id);
      const workflows = [];
      for (let i = 0; i < 4; i++) workflows.push(await createProvisioning(client, account.id));
      const events = await server().store.listEvents({ accountId: account.id });
      assert.equal(events.length, 4);
      const stream = await streamFor(server(), credential, account.id, { lastEventId: events[1]?.id });
      try {
        for (const expected of events.slice(2)) assert.equal((await stream.nextEvent()).id, expected.id);
        const live = await createProvisioning(client, account.id);
        const message = await stream.nextEvent();
        assert.equal((await openMessage(message, key)).workflow_id, live.workflow_id);
      } finally {
        stream.close();
      }
    });

    it("seals with keys made through webhook.key.*, following an activation mid-stream", async () => {
      const { client, account, credential } = await server().fixture();
      const first = await createWebhookKey(client, account.id);
      await activateWebhookKey(client, first.key_id);
      const stream = await streamFor(server(), credential, account.id);
      try {
        await createProvisioning(client, account.id);
        const sealedFirst = await stream.nextEvent();
        await openMessage(sealedFirst, { keyId: first.key_id, secret: first.shared_secret });
        const second = await createWebhookKey(client, account.id);
        await activateWebhookKey(client, second.key_id);
        const later = await createProvisioning(client, account.id);
        const sealedSecond = await stream.nextEvent();
        const payload = await openMessage(sealedSecond, {
          keyId: second.key_id,
          secret: second.shared_secret,
        });
        assert.equal(payload.workflow_id, later.workflow_id);
      } finally {
        stream.close();
      }
    });

    it("lets a read-only credential listen and sends a keep-alive comment", async () => {
      const fixture = await server().fixture();
      await addWebhookKey(server().database, fixture.account.id);
      const reader = await server().operator.createCredential({
        organizationId: fixture.organization.id,
        environment: "sandbox",
        readOnly: true,
      });
      const stream = await streamFor(server(), reader, fixture.account.id);
      try {
        let comment = await stream.nextComment();
        if (comment === "open") comment = await stream.nextComment();
        assert.equal(comment, "keep-alive");
      } finally {
        stream.close();
      }
    });

    it("refuses before the stream starts: unknown Last-Event-ID, invisible account, no ACTIVE key, bad account_id", async () => {
      const fixture = await server().fixture();
      const { account } = fixture;
      const options = optionsOf(server(), fixture);
      const stranger = await server().fixture();

      let opened = await openEventStream(options, account.id);
      assert.deepEqual(opened.ok ? null : [opened.status, opened.errors], [
        400,
        [
          {
            code: "SYSTEM_RULE_VIOLATION",
            entity_type: "Webhook Key",
            sub_code: "NO_ACTIVE_KEY",
            message: "The account has no ACTIVE webhook key to seal events with",
          },
        ],
      ]);

      await addWebhookKey(server().database, account.id);
      await addWebhookKey(server().database, stranger.account.id);
      opened = await openEventStream(options, stranger.account.id);
      assert.deepEqual(opened.ok ? null : [opened.status, opened.errors], [
        400,
        [{ code: "ENTITY_NOT_FOUND", message: "Account not found", field: "account_id" }],
      ]);

      // An event of another account is as unknown as one that never was.
      await createProvisioning(stranger.client, stranger.account.id);
      const [foreign] = await server().store.listEvents({ accountId: stranger.account.id });
      for (const lastEventId of [newId("event"), foreign?.id ?? ""]) {
        opened = await openEventStream(options, account.id, { lastEventId });
        assert.deepEqual(opened.ok ? null : [opened.status, opened.errors], [
          400,
          [
            {
              code: "BAD_REQUEST",
              message: "Last-Event-ID is not an event of this account from the last 7 days",
              field: "Last-Event-ID",
            },
          ],
        ]);
      }

      opened = await openEventStream(options, "acct_1");
      assert.deepEqual(
        opened.ok ? null : [opened.status, opened.errors?.[0]?.code, opened.errors?.[0]?.field],
        [400, "BAD_REQUEST", "account_id"],
      );
    });

    it("answers a bad signature with the 401 envelope", async () => {
      const fixture = await server().fixture();
      await addWebhookKey(server().database, fixture.account.id);
      const opened = await openEventStream(
        { ...optionsOf(server(), fixture), secretKey: Buffer.alloc(32, 1).toString("base64") },
        fixture.account.id,
      );
      assert.deepEqual(opened.ok ? null : [opened.status, opened.errors], [
        401,
        [
          {
            code: "AUTHENTICATION_FAILED",
            sub_code: "SIGNATURE_MISMATCH",
            message: "The signature does not match the request",
          },
        ],
      ]);
      const unsigned = await send(server().url, `/events.stream?account_id=${fixture.account.id}`, {
        method: "GET",
      });
      assert.equal(unsigned.status, 401);
      assert.equal(unsigned.json.errors?.[0]?.sub_code, "MISSING_CREDENTIALS");
    });

    if (kind === "postgres") {
      it("streams an event whose transaction commits after a later transaction's, before it", async () => {
        const { client, account, credential } = await server().fixture();
        const key = await addWebhookKey(server().database, account.id);
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const stream = await streamFor(server(), credential, account.id);
        const target = server().database.target;
        assert.equal(target.kind, "postgres");
        const held = new pg.Client({ connectionString: target.url });
        await held.connect();
        try {
          await held.query("begin");
          const heldId = newId("event");
          await held.query(
            `insert into events (id, event_type, account_id, subject_record_id, actor_type, actor_id, created_at, payload)
             values ($1, 'SUBJECT_RECORD_DELETED', $2, $3, 'API_KEY', 'held', $4, null)`,
            [heldId, account.id, subjectRecordId, new Date().toISOString()],
          );
          // A later transaction commits first.
          const later = await createProvisioning(client, account.id);
          await held.query("commit");
          const first = await stream.nextEvent();
          assert.equal(first.id, heldId);
          await openMessage(first, key);
          const second = await stream.nextEvent();
          assert.equal((await openMessage(second, key)).workflow_id, later.workflow_id);
        } finally {
          await held.end();
          stream.close();
        }
      });
    }
  });
}

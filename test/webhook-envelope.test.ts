/**
 * The webhook envelope is byte-exact (webhooks.md "Delivery"): decrypted here independently with
 * node:crypto from the spec's description, and opened with the client's `openWebhook`, which must
 * refuse any altered metadata field, an unknown key and a malformed envelope with typed errors.
 */
import assert from "node:assert/strict";
import { createDecipheriv, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { openWebhook, WebhookError } from "@vetted/client";
import type { EventRecord } from "../src/domain/records.js";
import { sealWebhook } from "../src/webhooks/envelope.js";

const event: EventRecord = {
  id: "wh_2K9mPxR7N4jL8hS6TdWfY3",
  event_type: "WORKFLOW_STARTED",
  account_id: "sb_4K8mPxR9N2jL7hS5TdWfY1",
  subject_record_id: "sr_1",
  workflow_id: "w_1",
  workflow_type: "BUSINESS_APPLICATION",
  actor_type: "API_KEY",
  actor_id: "ops key",
  created_at: "2026-11-28T05:00:00.000Z",
  payload: null,
};
const secret = randomBytes(32);
const key = { keyId: "whk_20261128_01", secret };
const secrets = { whk_20261128_01: secret.toString("base64") };

describe("webhook envelope", () => {
  it("is Base64(IV ‖ ciphertext ‖ tag) under the shared secret with the metadata joined by \\n as AAD", () => {
    const envelope = sealWebhook(event, key, 3);
    assert.deepEqual(Object.keys(envelope), [
      "id",
      "event_type",
      "timestamp",
      "account_id",
      "schema_version",
      "key_id",
      "data",
      "retry_count",
    ]);
    assert.equal(envelope.schema_version, "2025-11-21");
    assert.equal(envelope.retry_count, 3);
    const raw = Buffer.from(envelope.data, "base64");
    const decipher = createDecipheriv("aes-256-gcm", secret, raw.subarray(0, 12));
    decipher.setAAD(
      Buffer.from(
        `${event.id}\n${event.event_type}\n${event.created_at}\n${event.account_id}\n2025-11-21\nwhk_20261128_01`,
        "utf8",
      ),
    );
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const plaintext = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    assert.equal(
      plaintext.toString("utf8"),
      '{"version":"1.0","subject_record_id":"sr_1","workflow_id":"w_1","workflow_type":"BUSINESS_APPLICATION",' +
        '"user_context":{"user_id":"ops key","user_type":"API_KEY"}}',
    );
  });

  it("uses a fresh IV for every attempt", () => {
    const a = Buffer.from(sealWebhook(event, key, 0).data, "base64");
    const b = Buffer.from(sealWebhook(event, key, 0).data, "base64");
    assert.notDeepEqual(a.subarray(0, 12), b.subarray(0, 12));
  });

  it("opens with openWebhook; entity events carry their own fields and no workflow", async () => {
    const entity: EventRecord = {
      ...event,
      event_type: "BUSINESS_OWNER_ADDED",
      workflow_id: null,
      workflow_type: null,
      payload: { entity_type: "Business Owner", entity_id: "bo_1", linked_entity_ids: ["b_1", "p_1"] },
    };
    assert.deepEqual(await openWebhook(sealWebhook(entity, key, 0), secrets), {
      version: "1.0",
      subject_record_id: "sr_1",
      entity_type: "Business Owner",
      entity_id: "bo_1",
      linked_entity_ids: ["b_1", "p_1"],
      user_context: { user_id: "ops key", user_type: "API_KEY" },
    });
    // The secret may be given as bytes, and in a Map.
    const payload = await openWebhook(sealWebhook(event, key, 0), new Map([["whk_20261128_01", secret]]));
    assert.equal(payload.workflow_id, "w_1");
  });

  for (const field of ["id", "event_type", "timestamp", "account_id", "schema_version"] as const) {
    it(`refuses an envelope whose ${field} was altered (BAD_TAG)`, async () => {
      const envelope = { ...sealWebhook(event, key, 0), [field]: "altered" };
      await assert.rejects(
        openWebhook(envelope, secrets),
        (e) => e instanceof WebhookError && e.reason === "BAD_TAG",
      );
    });
  }

  it("refuses a changed key_id that names another known secret, and altered data (BAD_TAG)", async () => {
    const envelope = { ...sealWebhook(event, key, 0), key_id: "whk_20261128_02" };
    const both = { ...secrets, whk_20261128_02: randomBytes(32).toString("base64") };
    await assert.rejects(
      openWebhook(envelope, both),
      (e) => e instanceof WebhookError && e.reason === "BAD_TAG",
    );
    const sealed = sealWebhook(event, key, 0);
    const raw = Buffer.from(sealed.data, "base64");
    raw[20] = (raw[20] ?? 0) ^ 1;
    await assert.rejects(
      openWebhook({ ...sealed, data: raw.toString("base64") }, secrets),
      (e) => e instanceof WebhookError && e.reason === "BAD_TAG",
    );
  });

  it("refuses an unknown key_id and a secret that is not 32 bytes (UNKNOWN_KEY)", async () => {
    const envelope = sealWebhook(event, key, 0);
    await assert.rejects(
      openWebhook(envelope, {}),
      (e) => e instanceof WebhookError && e.reason === "UNKNOWN_KEY",
    );
    await assert.rejects(
      openWebhook(envelope, { whk_20261128_01: "dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IGtleQ==" }),
      (e) => e instanceof WebhookError && e.reason === "UNKNOWN_KEY",
    );
  });

  it("refuses what is not an envelope (BAD_SHAPE)", async () => {
    const envelope = sealWebhook(event, key, 0);
    for (const bad of [
      null,
      [],
      "text",
      { ...envelope, retry_count: -1 },
      { ...envelope, id: 7 },
      { ...envelope, data: "***" },
      { ...envelope, data: "AAAA" },
    ]) {
      await assert.rejects(
        openWebhook(bad, secrets),
        (e) => e instanceof WebhookError && e.reason === "BAD_SHAPE",
      );
    }
  });
});

/**
 * Webhook keys and endpoints written straight to the database, sealed as the server seals them
 * (under TEST_MASTER_KEY, bound to "<account_id>/<key_id>"): for the delivery tests, and for live
 * accounts, which the API's own methods cannot reach from a sandbox credential.
 */
import { randomBytes } from "node:crypto";
import { createSecretBox } from "../../src/auth/secret-box.js";
import type { TestDatabase } from "./databases.js";
import { TEST_MASTER_KEY } from "./server.js";
import { executeSql, queryRows } from "./sql.js";

const box = createSecretBox(TEST_MASTER_KEY);

export interface TestWebhookKey {
  keyId: string;
  secret: Buffer;
}

let keyNumber = 0;

export async function addWebhookKey(
  database: TestDatabase,
  accountId: string,
  status: "ACTIVE" | "INACTIVE" = "ACTIVE",
): Promise<TestWebhookKey> {
  keyNumber++;
  const keyId = `whk_20261128_${String(keyNumber % 100).padStart(2, "0")}`;
  const secret = randomBytes(32);
  const now = new Date().toISOString();
  await executeSql(database, [
    [
      "insert into webhook_keys (account_id, key_id, secret_sealed, status, created_at, activated_at) values ($1, $2, $3, $4, $5, $6)",
      [
        accountId,
        keyId,
        box.seal(secret, `${accountId}/${keyId}`),
        status,
        now,
        status === "ACTIVE" ? now : null,
      ],
    ],
  ]);
  return { keyId, secret };
}

export async function activateWebhookKey(
  database: TestDatabase,
  accountId: string,
  keyId: string,
): Promise<void> {
  await executeSql(database, [
    [
      "update webhook_keys set status = 'ACTIVE', activated_at = $1 where account_id = $2 and key_id = $3",
      [new Date().toISOString(), accountId, keyId],
    ],
  ]);
}

export async function addEndpoint(database: TestDatabase, accountId: string, url: string): Promise<string> {
  const id = `whc_${randomBytes(10).toString("hex")}`;
  const now = new Date().toISOString();
  await executeSql(database, [
    [
      "insert into webhook_configs (id, account_id, url, created_at, updated_at) values ($1, $2, $3, $4, $5)",
      [id, accountId, url, now, now],
    ],
  ]);
  return id;
}

export interface DeliveryRow {
  event_id: string;
  config_id: string;
  status: string;
  attempt_count: number;
  next_attempt_at: string;
  last_error: string | null;
}

export interface AttemptRow {
  attempt_number: number;
  key_id: string;
  url: string;
  started_at: string;
  finished_at: string | null;
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
}

export function deliveriesOf(database: TestDatabase, accountId: string): Promise<DeliveryRow[]> {
  return queryRows<DeliveryRow>(
    database,
    "select event_id, config_id, status, attempt_count, next_attempt_at, last_error from webhook_deliveries where account_id = $1 order by created_at, event_id, config_id",
    [accountId],
  );
}

export function attemptsOf(database: TestDatabase, eventId: string, configId: string): Promise<AttemptRow[]> {
  return queryRows<AttemptRow>(
    database,
    "select attempt_number, key_id, url, started_at, finished_at, http_status, latency_ms, error from webhook_delivery_attempts where event_id = $1 and config_id = $2 order by attempt_number",
    [eventId, configId],
  );
}

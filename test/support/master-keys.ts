/** Shared by the master key tests: a database with sealed credentials, raw reads and writes. */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before } from "node:test";
import { createOperator, type IssuedCredential } from "../../src/admin/operator.js";
import { createSecretBox } from "../../src/auth/secret-box.js";
import { systemClock } from "../../src/domain/clock.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import { createTestDatabase, type TestDatabase, tempDir } from "./databases.js";
import { createRecordingClient } from "./error-record.js";
import { executeSql, queryRows } from "./sql.js";

export const MISMATCH = /^vetted: .*the master key does not match this database$/m;

/** One write straight to the database, past the store: to damage a row on purpose. */
export async function executeRaw(database: TestDatabase, text: string, params: unknown[]): Promise<void> {
  await executeSql(database, [[text, params]]);
}

/** Everything sealed in the database, as stored. */
export async function sealedValues(database: TestDatabase): Promise<Record<string, string>> {
  const rows = await queryRows<{ api_key: string; secret_key_sealed: string }>(
    database,
    "select api_key, secret_key_sealed from credentials order by api_key",
  );
  return Object.fromEntries(rows.map((r) => [r.api_key, r.secret_key_sealed]));
}

export async function keyCheckRows(database: TestDatabase): Promise<string[]> {
  const rows = await queryRows<{ sealed: string }>(database, "select sealed from master_key_check");
  return rows.map((r) => r.sealed);
}

export function serveArgs(database: TestDatabase, dataDir: string): string[] {
  return ["serve", "--database", database.url, "--port", "0", "--data-dir", dataDir];
}

export async function signedCallWorks(
  url: string,
  credential: IssuedCredential,
  accountId: string,
): Promise<void> {
  const client = createRecordingClient({
    baseUrl: url,
    apiKey: credential.api_key,
    secretKey: credential.secret_key,
    authToken: credential.auth_token,
  });
  const result = await client.call("subjectRecord.list", { account_id: accountId });
  assert.ok(result.ok, `a signed request with ${credential.api_key} works: ${JSON.stringify(result)}`);
}

/** A database with one organization and credentials sealed in this process under `masterKey`. */
/**
 * For a describe block: a sealed install under `masterKey` and an empty data directory, made
 * before its tests and removed after them.
 */
export function useSealedInstall(kind: "sqlite" | "postgres", masterKey: string) {
  let install: Awaited<ReturnType<typeof sealedInstall>> | undefined;
  let dataDir: string | undefined;
  before(async () => {
    install = await sealedInstall(kind, masterKey);
    dataDir = tempDir("vetted-keys-");
  });
  after(async () => {
    await install?.database.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    install: () => install as Awaited<ReturnType<typeof sealedInstall>>,
    dataDir: () => dataDir as string,
  };
}

export async function sealedInstall(kind: "sqlite" | "postgres", masterKey: string, credentials = 1) {
  const database = await createTestDatabase(kind);
  const store: Store = openStore(database.target);
  await store.migrate();
  const operator = createOperator({
    store,
    secretBox: createSecretBox(Buffer.from(masterKey, "base64")),
    clock: systemClock,
  });
  const organization = await operator.createOrganization("Keys");
  const account = await operator.createAccount({ organizationId: organization.id, environment: "sandbox" });
  const issued: IssuedCredential[] = [];
  for (let i = 0; i < credentials; i++) {
    issued.push(await operator.createCredential({ organizationId: organization.id, environment: "sandbox" }));
  }
  await store.close();
  return { database, organizationId: organization.id, accountId: account.id, issued };
}

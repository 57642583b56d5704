/**
 * Set-up shared by the fault tests (outage, crash, shutdown) that run `vetted serve` as a child:
 * an organization, a sandbox account and a strict credential, created in this process on the
 * database the child serves, and the request bodies their loads send.
 */
import type { IssuedCredential, Operator } from "../../src/admin/operator.js";
import type { Account } from "../../src/domain/records.js";
import type { Store } from "../../src/store/store.js";
import { openSideOperator } from "./child-server.js";
import type { TestDatabase } from "./databases.js";
import { applicationBody } from "./workflows.js";

export interface FaultFixture {
  store: Store;
  operator: Operator;
  account: Account;
  credential: IssuedCredential;
}

/** The caller closes `store`. */
export async function createFaultFixture(
  database: TestDatabase,
  options: { allowMultipleApplicationsPerEmail?: boolean } = {},
): Promise<FaultFixture> {
  const { store, operator } = await openSideOperator(database);
  try {
    const organization = await operator.createOrganization("Fault test organization");
    const account = await operator.createAccount({
      organizationId: organization.id,
      environment: "sandbox",
      allowMultipleApplicationsPerEmail: options.allowMultipleApplicationsPerEmail,
    });
    const credential = await operator.createCredential({
      organizationId: organization.id,
      environment: "sandbox",
    });
    return { store, operator, account, credential };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** A database on a server of the test's own, in the shape the child-server helpers take. */
export function postgresDatabaseAt(url: string): TestDatabase {
  return { kind: "postgres", target: { kind: "postgres", url }, url, drop: async () => undefined };
}

/** workflow.create of a business application on a new subject record, with a unique email. */
export function uniqueApplication(accountId: string, label: string) {
  return { method: "workflow.create", body: applicationBody(accountId, { email: `${label}@example.com` }) };
}

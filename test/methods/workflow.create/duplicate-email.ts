/**
 * workflow.create, the seed page's ACCOUNT_CONFIGURATION_VIOLATION row: Workflow/DUPLICATE_EMAIL,
 * driven by the account's allow_multiple_applications_per_email. Case-insensitive, every state
 * counts, and a refused request leaves no subject record and no event behind. (When the rule
 * allows an email is in the success part.)
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import type { TestServer } from "../../support/server.js";
import {
  accountRows,
  applicationBody,
  createApplication,
  createEndedApplication,
  createProvisioning,
  ERRORS,
  expectErrors,
} from "../../support/workflows.js";

export function duplicateEmailErrors(server: () => TestServer): void {
  it("refuses an email another business application of the account uses, whatever its case", async () => {
    const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
    await createApplication(client, account.id, { email: "Ann.Lee@Example.com" });
    const before = await accountRows(server(), account.id);
    for (const email of ["Ann.Lee@Example.com", "ann.lee@example.com", "ANN.LEE@EXAMPLE.COM"]) {
      expectErrors(await client.call("workflow.create", applicationBody(account.id, { email })), 400, [
        ERRORS.duplicateEmail,
      ]);
    }
    // No orphan subject record (none was given, so one would have been made), no event.
    assert.deepEqual(await accountRows(server(), account.id), before);
  });

  for (const state of ["CREATED", "STARTED", "ENDED"] as const) {
    it(`counts an existing application in ${state}`, async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      const existing =
        state === "ENDED"
          ? await createEndedApplication(client, account.id, { email: "bo@example.com" })
          : await createApplication(client, account.id, { email: "bo@example.com", state });
      assert.equal(existing.state, state);
      const result = await client.call(
        "workflow.create",
        applicationBody(account.id, { email: "BO@example.com", state: "CREATED" }),
      );
      expectErrors(result, 400, [ERRORS.duplicateEmail]);
    });
  }

  it("refuses pre-existing emails once the account is switched to unique emails", async () => {
    const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: true });
    await createApplication(client, account.id, { email: "ed@example.com" });
    await createApplication(client, account.id, { email: "ed@example.com" });
    await server().operator.updateAccount(account.id, { allowMultipleApplicationsPerEmail: false });
    const before = await accountRows(server(), account.id);
    expectErrors(
      await client.call("workflow.create", applicationBody(account.id, { email: "Ed@Example.com" })),
      400,
      [ERRORS.duplicateEmail],
    );
    assert.deepEqual(await accountRows(server(), account.id), before);
    // A new email is claimed, and from then on is unique too.
    await createApplication(client, account.id, { email: "fay@example.com" });
    expectErrors(
      await client.call("workflow.create", applicationBody(account.id, { email: "FAY@example.com" })),
      400,
      [ERRORS.duplicateEmail],
    );
    // Switching back allows duplicates again.
    await server().operator.updateAccount(account.id, { allowMultipleApplicationsPerEmail: true });
    await createApplication(client, account.id, { email: "fay@example.com" });
  });

  it("ignores ACCOUNT_PROVISIONING workflows, and gives the account nothing for a refused application", async () => {
    const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
    await createProvisioning(client, account.id);
    await createApplication(client, account.id, { email: "hal@example.com" });
    const before = await accountRows(server(), account.id);
    assert.deepEqual(before, { subjectRecords: 2, events: 2 });
    expectErrors(
      await client.call("workflow.create", applicationBody(account.id, { email: "hal@example.com" })),
      400,
      [ERRORS.duplicateEmail],
    );
    assert.deepEqual(await accountRows(server(), account.id), before);
  });
}

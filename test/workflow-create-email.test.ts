/**
 * workflow.create, the seed page's ACCOUNT_CONFIGURATION_VIOLATION row: Workflow/DUPLICATE_EMAIL,
 * driven by the account's allow_multiple_applications_per_email. Case-insensitive, every state
 * counts, and a refused request leaves no subject record and no event behind.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  accountRows,
  applicationBody,
  createApplication,
  createEndedApplication,
  createProvisioning,
  ERRORS,
  expectErrors,
} from "./support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow.create DUPLICATE_EMAIL [${kind}]`, () => {
    const server = useTestServer(kind);

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

    it("allows the same email many times when the account allows multiple applications per email", async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: true });
      const ids = new Set<string>();
      for (const email of ["cy@example.com", "CY@example.com", "cy@example.com"]) {
        ids.add((await createApplication(client, account.id, { email })).workflow_id);
      }
      assert.equal(ids.size, 3);
    });

    it("allows multiples by default (an account created without the setting)", async () => {
      const { client, account } = await server().fixture();
      assert.equal(account.allow_multiple_applications_per_email, true);
      await createApplication(client, account.id, { email: "di@example.com" });
      await createApplication(client, account.id, { email: "di@example.com" });
    });

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

    it("checks emails per account: another account's application with the same email does not count", async () => {
      const { client, account, organization } = await server().fixture({
        allowMultipleApplicationsPerEmail: false,
      });
      const other = await server().operator.createAccount({
        organizationId: organization.id,
        environment: "sandbox",
        allowMultipleApplicationsPerEmail: false,
      });
      await createApplication(client, other.id, { email: "gus@example.com" });
      await createApplication(client, account.id, { email: "gus@example.com" });
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
  });
}

/**
 * Step 1 and step 2 across the location methods: a malformed or wrongly prefixed ID is BAD_REQUEST
 * on its field, before any lookup; `show_sensitive_data: true` from a read-only credential is
 * PERMISSION_DENIED on the flag, on every location read that takes it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { createSubjectRecord } from "../support/workflows.js";

const WRONG = "sr_163Gh1ONk6BCHF9iYVDHcv";

for (const kind of databaseKinds()) {
  describe(`location methods: bad input and the unmask refusal [${kind}]`, () => {
    const server = useTestServer(kind);

    it("refuses a wrongly prefixed ID with BAD_REQUEST on its field", async () => {
      const { client } = await server().fixture();
      const cases: [string, Record<string, unknown>, string][] = [
        ["location.get", { location_id: WRONG }, "location_id"],
        ["location.list", { subject_record_id: "l_163Gh1ONk6BCHF9iYVDHcv" }, "subject_record_id"],
        ["location.update", { location_id: WRONG }, "location_id"],
        ["location.delete", { location_id: WRONG }, "location_id"],
        ["location.removeBankAccount", { location_bank_account_id: WRONG }, "location_bank_account_id"],
        ["business.getLocation", { business_location_id: WRONG }, "business_location_id"],
        ["business.listLocations", { business_id: WRONG }, "business_id"],
        ["business.removeLocation", { business_location_id: WRONG }, "business_location_id"],
      ];
      for (const [method, body, field] of cases) {
        const result = await client.call(method as "location.get", body as never);
        assert.equal(!result.ok && result.status, 400, method);
        assert.equal(!result.ok && result.errors[0]?.code, "BAD_REQUEST", method);
        assert.equal(!result.ok && result.errors[0]?.field, field, method);
      }
    });

    it("refuses show_sensitive_data: true from a read-only credential on the lists", async () => {
      const { client, account, reader } = await withReader(server());
      const recordId = await createSubjectRecord(client, account.id);
      const business = await client.call("business.create", { subject_record_id: recordId });
      assert.ok(business.ok);
      const cases: [string, Record<string, unknown>][] = [
        ["location.list", { subject_record_id: recordId, show_sensitive_data: true }],
        [
          "business.listLocations",
          { business_id: business.data.business.business_id, show_sensitive_data: true },
        ],
      ];
      for (const [method, body] of cases) {
        const result = await reader.call(method as "location.list", body as never);
        assert.equal(!result.ok && result.status, 403, method);
        assert.equal(!result.ok && result.errors[0]?.code, "PERMISSION_DENIED", method);
        assert.equal(!result.ok && result.errors[0]?.field, "show_sensitive_data", method);
      }
    });
  });
}

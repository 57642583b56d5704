/**
 * Another organization's ID must cost what a random ID costs, not only answer the same: each
 * lookup by ID is one query by ID *and* the caller's visibility, so an invisible row and a missing
 * one send the same statements in the same number of round trips (issue 11 item 6: workflow.get
 * with another organization's ID answered about 0.5 ms slower on PostgreSQL, one query more).
 * Measured structurally, by recording the SQL the drivers send; bench/visibility-timing.ts
 * measures the time.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../src/domain/ids.js";
import { databaseKinds } from "./support/databases.js";
import { assertSuccess, type RawResponse, sendSigned } from "./support/http.js";
import { startSecondApp, useTestServer } from "./support/server.js";
import { recordStatements } from "./support/statement-recorder.js";

/** No background purge may run while statements are recorded. */
const QUIET = { purgeIntervalMs: 3_600_000 };

function withoutTraceId(response: RawResponse) {
  return {
    status: response.status,
    body: { ...response.json, meta: { ...response.json.meta, trace_id: "" } },
  };
}

for (const kind of databaseKinds()) {
  describe(`an invisible ID does the same database work as a missing one [${kind}]`, () => {
    const server = useTestServer(kind, { config: QUIET });

    it("every method that takes an ID: same statements, same round trips, same answer", async () => {
      const owner = await server().fixture();
      const caller = await server().fixture();
      const created = assertSuccess(
        await sendSigned(server().url, owner.credential, "workflow.create", {
          account_id: owner.account.id,
          workflow: { type: "ACCOUNT_PROVISIONING" },
        }),
      ) as { workflow: { workflow_id: string; subject_record_id: string } };
      const foreign = {
        account: owner.account.id,
        subjectRecord: created.workflow.subject_record_id,
        workflow: created.workflow.workflow_id,
      };
      const update = { details: { business_application_details: { referrer_value: "r" } } };
      const cases: [string, (ids: typeof foreign) => Record<string, unknown>][] = [
        ["workflow.get", (ids) => ({ workflow_id: ids.workflow })],
        ["workflow.canComplete", (ids) => ({ workflow_id: ids.workflow })],
        ["workflow.start", (ids) => ({ workflow_id: ids.workflow })],
        ["workflow.complete", (ids) => ({ workflow_id: ids.workflow })],
        ["workflow.update", (ids) => ({ workflow_id: ids.workflow, workflow: update })],
        ["subjectRecord.get", (ids) => ({ subject_record_id: ids.subjectRecord })],
        ["workflow.list", (ids) => ({ subject_record_id: ids.subjectRecord })],
        ["subjectRecord.list", (ids) => ({ account_id: ids.account })],
        [
          "subjectRecord.create",
          (ids) => ({ account_id: ids.account, subject_record: { type: "BUSINESS" } }),
        ],
        [
          "workflow.create",
          (ids) => ({ account_id: ids.account, workflow: { type: "ACCOUNT_PROVISIONING" } }),
        ],
        [
          "workflow.create",
          (ids) => ({
            account_id: caller.account.id,
            workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: ids.subjectRecord },
          }),
        ],
      ];

      // An app whose store runs in this thread (no SQLite writer thread), so every statement shows.
      const app = await startSecondApp(server(), QUIET);
      try {
        const call = async (method: string, body: Record<string, unknown>) => {
          let response: RawResponse | undefined;
          const statements = await recordStatements(async () => {
            response = await sendSigned(app.url, caller.credential, method, body);
          });
          return { statements, response: withoutTraceId(response as RawResponse) };
        };
        for (const [method, bodyOf] of cases) {
          const random = () => ({
            account: newId("sandbox"),
            subjectRecord: newId("subjectRecord"),
            workflow: newId("workflow"),
          });
          // Once each first, so both find the same statements already prepared.
          await call(method, bodyOf(foreign));
          await call(method, bodyOf(random()));
          const invisible = await call(method, bodyOf(foreign));
          const missing = await call(method, bodyOf(random()));
          assert.equal(invisible.response.status, 400, `${method}: ${JSON.stringify(invisible.response)}`);
          assert.deepEqual(invisible.response, missing.response, method);
          assert.ok(missing.statements.length > 0, `${method}: statements were recorded`);
          assert.deepEqual(invisible.statements, missing.statements, `${method}: the same statements`);
        }
      } finally {
        await app.stop();
      }
    });
  });
}

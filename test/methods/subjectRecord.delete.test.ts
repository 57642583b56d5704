/**
 * subjectRecord.delete: a record without workflows goes with everything in it, and one
 * SUBJECT_RECORD_DELETED; refused with ENTITY_LINKED while it has a workflow; races with
 * workflow.create and with itself; who may delete which record.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VettedClient } from "@vetted/client";
import { newId } from "../../src/domain/ids.js";
import { ApiError, type WireError } from "../../src/errors.js";
import { outOfSight, withReader } from "../support/authorization.js";
import { createSalesInfo, insertLinks, newBusiness } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { type TestServer, useTestServer } from "../support/server.js";
import { executeSql, queryRows } from "../support/sql.js";
import {
  applicationBody,
  badRequest,
  createApplication,
  createEndedApplication,
  createProvisioning,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const HAS_WORKFLOWS: WireError = {
  code: "ENTITY_LINKED",
  message: "The Subject Record still has workflows",
  entity_type: "Subject Record",
  related_methods: ["workflow.delete"],
};

/** The tables that hold a subject record's data, and how to count one record's rows in each. */
const DATA_TABLES: [string, string][] = [
  ["subject_records", "id = $1"],
  ["business", "subject_record_id = $1"],
  ["sales_info", "business_id in (select id from business where subject_record_id = $1)"],
  ["person", "subject_record_id = $1"],
  ["person_issued_identifier", "person_id in (select id from person where subject_record_id = $1)"],
  ["bank_account", "subject_record_id = $1"],
  ["business_owner", "business_id in (select id from business where subject_record_id = $1)"],
  ["business_bank_account", "business_id in (select id from business where subject_record_id = $1)"],
  ["business_bank_account_purpose", "business_id in (select id from business where subject_record_id = $1)"],
];

/** How many rows of each data table belong to the record. */
async function rowsOf(server: TestServer, subjectRecordId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, where] of DATA_TABLES) {
    const [row] = await queryRows<{ n: number | string }>(
      server.database,
      `select count(*) as n from ${table} where ${where}`,
      [subjectRecordId],
    );
    counts[table] = Number(row?.n);
  }
  return counts;
}

/** A BUSINESS record holding one of everything part 1 of the data has. */
async function fullRecord(server: TestServer, client: VettedClient, accountId: string) {
  const business = await newBusiness(client, accountId, { legal_name: "Acme", tax_id: "123456789" });
  await createSalesInfo(client, business.business_id);
  const at = server.clock.now().toISOString();
  const links = await insertLinks(server, business, { owner: true, bankAccount: ["PRIMARY", "BILLING"] }, at);
  await executeSql(server.database, [
    [
      `insert into person_issued_identifier (id, person_id, type, issued_number, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6)`,
      [newId("issuedIdentifier"), links.person_id, "PASSPORT", "X1234567", at, at],
    ],
  ]);
  return business.subject_record_id;
}

const EVERY_ROW = {
  subject_records: 1,
  business: 1,
  sales_info: 1,
  person: 1,
  person_issued_identifier: 1,
  bank_account: 1,
  business_owner: 1,
  business_bank_account: 1,
  business_bank_account_purpose: 2,
};
const NO_ROW = Object.fromEntries(Object.keys(EVERY_ROW).map((table) => [table, 0]));

for (const kind of databaseKinds()) {
  describe(`subjectRecord.delete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("deletes an empty record and writes SUBJECT_RECORD_DELETED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "cleaner" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        assert.deepEqual(expectOk(await client.call("subjectRecord.delete", { subject_record_id })), {});
        expectErrors(await client.call("subjectRecord.get", { subject_record_id }), 400, [
          notFound("Subject Record", "subject_record_id"),
        ]);
        const events = await server().store.listEvents({ accountId: account.id });
        assert.equal(events.length, 1);
        const [event] = events;
        assert.ok(event);
        assert.match(event.id, /^wh_/);
        assert.match(event.created_at, ISO_MS);
        assert.deepEqual(event, {
          id: event.id,
          event_type: "SUBJECT_RECORD_DELETED",
          account_id: account.id,
          subject_record_id,
          workflow_id: null,
          workflow_type: null,
          actor_type: "API_KEY",
          actor_id: "cleaner",
          created_at: event.created_at,
          payload: null,
        });
      });

      it("deletes everything in the record, and nothing of another record", async () => {
        const { client, account } = await server().fixture();
        const doomed = await fullRecord(server(), client, account.id);
        const kept = await fullRecord(server(), client, account.id);
        assert.deepEqual(await rowsOf(server(), doomed), EVERY_ROW);
        const eventsBefore = await server().store.listEvents({ accountId: account.id });

        expectOk(await client.call("subjectRecord.delete", { subject_record_id: doomed }));
        assert.deepEqual(await rowsOf(server(), doomed), NO_ROW);
        assert.deepEqual(await rowsOf(server(), kept), EVERY_ROW);
        // Events already written stay; one more, naming no entity, no child's own event.
        const eventsAfter = await server().store.listEvents({ accountId: account.id });
        assert.deepEqual(eventsAfter.slice(0, eventsBefore.length), eventsBefore);
        assert.deepEqual(
          eventsAfter.slice(eventsBefore.length).map((e) => [e.event_type, e.subject_record_id]),
          [["SUBJECT_RECORD_DELETED", doomed]],
        );
      });

      it("deletes a record whose only workflow was deleted", async () => {
        const { client, account } = await server().fixture();
        const created = await createApplication(client, account.id, { state: "CREATED" });
        const subject_record_id = created.subject_record_id;
        expectErrors(await client.call("subjectRecord.delete", { subject_record_id }), 400, [HAS_WORKFLOWS]);
        expectOk(await client.call("workflow.delete", { workflow_id: created.workflow_id }));
        expectOk(await client.call("subjectRecord.delete", { subject_record_id }));
      });
    });

    describe("errors", () => {
      it("answers BAD_REQUEST for a malformed ID and ENTITY_NOT_FOUND for an unknown or deleted record", async () => {
        const { client, account } = await server().fixture();
        expectErrors(
          await client.call("subjectRecord.delete", { subject_record_id: "w_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [badRequest("subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"')],
        );
        expectErrors(
          await client.call("subjectRecord.delete", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
        const subject_record_id = await createSubjectRecord(client, account.id);
        expectOk(await client.call("subjectRecord.delete", { subject_record_id }));
        expectErrors(await client.call("subjectRecord.delete", { subject_record_id }), 400, [
          notFound("Subject Record", "subject_record_id"),
        ]);
      });

      it("refuses with ENTITY_LINKED while the record has any workflow, of any type and state, changing nothing", async () => {
        const { client, account } = await server().fixture();
        const records = [
          (await createApplication(client, account.id, { state: "CREATED" })).subject_record_id,
          (await createApplication(client, account.id, { email: "b@example.com" })).subject_record_id,
          (await createEndedApplication(client, account.id, { email: "c@example.com" })).subject_record_id,
          (await createProvisioning(client, account.id)).subject_record_id,
        ];
        const full = await fullRecord(server(), client, account.id);
        await createProvisioning(client, account.id, { subjectRecordId: full, state: "CREATED" });
        const eventsBefore = await server().store.listEvents({ accountId: account.id });
        for (const subject_record_id of [...records, full])
          expectErrors(await client.call("subjectRecord.delete", { subject_record_id }), 400, [
            HAS_WORKFLOWS,
          ]);
        assert.deepEqual(await rowsOf(server(), full), EVERY_ROW);
        assert.deepEqual(await server().store.listEvents({ accountId: account.id }), eventsBefore);
      });

      it("workflow.create racing the delete: either the create lands first (ENTITY_LINKED) or gets ENTITY_NOT_FOUND", async () => {
        const { client, account } = await server().fixture();
        for (let round = 0; round < 8; round++) {
          const subjectRecordId = await fullRecord(server(), client, account.id);
          const body = applicationBody(account.id, { subjectRecordId, email: `r${round}@example.com` });
          const [created, deleted] = await Promise.all([
            client.call("workflow.create", body),
            client.call("subjectRecord.delete", { subject_record_id: subjectRecordId }),
          ]);
          if (created.ok) {
            expectErrors(deleted, 400, [HAS_WORKFLOWS]);
            assert.deepEqual(await rowsOf(server(), subjectRecordId), EVERY_ROW);
          } else {
            expectErrors(created, 400, [notFound("Subject Record", "workflow.subject_record_id")]);
            expectOk(deleted);
            assert.deepEqual(await rowsOf(server(), subjectRecordId), NO_ROW);
          }
        }
      });

      it("of two simultaneous deletes one succeeds, the other gets ENTITY_NOT_FOUND", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await fullRecord(server(), client, account.id);
        const answers = await Promise.all([
          client.call("subjectRecord.delete", { subject_record_id }),
          client.call("subjectRecord.delete", { subject_record_id }),
        ]);
        assert.equal(answers.filter((a) => a.ok).length, 1);
        const loser = answers.find((a) => !a.ok);
        assert.ok(loser);
        expectErrors(loser, 400, [notFound("Subject Record", "subject_record_id")]);
        const deletions = (await server().store.listEvents({ accountId: account.id })).filter(
          (e) => e.event_type === "SUBJECT_RECORD_DELETED",
        );
        assert.equal(deletions.length, 1);
      });

      if (kind === "postgres")
        it("a workflow insert whose record was deleted meanwhile is ENTITY_NOT_FOUND, not a driver error", async () => {
          const { client, account } = await server().fixture();
          const workflow = await createApplication(client, account.id);
          const stored = await server().store.getWorkflow(workflow.workflow_id);
          assert.ok(stored);
          const orphan = { ...stored, id: newId("workflow"), subject_record_id: newId("subjectRecord") };
          await assert.rejects(
            server().store.insertWorkflow({ workflow: orphan, emailClaim: null }),
            (error) => {
              assert.ok(error instanceof ApiError);
              assert.deepEqual(error.toWire(), [notFound("Subject Record", "workflow.subject_record_id")]);
              return true;
            },
          );
        });
    });

    describe("authorization", () => {
      it("a read-only credential may not delete", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        expectErrors(await reader.call("subjectRecord.delete", { subject_record_id }), 403, [
          ERRORS.readOnly("subjectRecord.delete"),
        ]);
        expectOk(await client.call("subjectRecord.get", { subject_record_id }));
      });

      it("hides another organization's, an unlisted account's and a live account's record", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          expectErrors(await viewer.call("subjectRecord.delete", { subject_record_id }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          expectOk(await owner.call("subjectRecord.get", { subject_record_id }));
          assert.ok(name);
        }
      });
    });
  });
}

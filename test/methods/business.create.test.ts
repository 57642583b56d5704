/**
 * business.create: the business of a BUSINESS subject record, its response and event; one per
 * record (also when raced), none on a PERSON record; the ENDED guard and the check order; who may
 * create where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  createBusiness,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  expectedBusiness,
  FULL_BUSINESS,
  getBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const BUSINESS_ID = /^b_[0-9A-Za-z]{21,22}$/;

for (const kind of databaseKinds()) {
  describe(`business.create [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("creates a business with every field unset, and answers it as business.get does", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        const created = expectOk(await client.call("business.create", { subject_record_id })).business;
        assert.match(created.business_id, BUSINESS_ID);
        assert.match(created.created_at, ISO_MS);
        assert.deepEqual(
          created,
          expectedBusiness(
            { business_id: created.business_id, subject_record_id },
            {},
            { created_at: created.created_at, updated_at: created.created_at },
          ),
        );
        assert.deepEqual(await getBusiness(client, created.business_id), created);
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.equal(events.length, 1);
        assertEntityEvent(
          events[0],
          {
            event_type: "BUSINESS_CREATED",
            account_id: account.id,
            subject_record_id,
            entity_type: "Business",
            entity_id: created.business_id,
          },
          "ops key",
        );
      });

      it("stores every field given, masks tax_id in the answer, and takes null as not set", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const created = await createBusiness(client, subject_record_id, {
          ...FULL_BUSINESS,
          operating_name: null,
          websites: null,
        });
        const { operating_name: _, websites: __, ...given } = FULL_BUSINESS;
        assert.deepEqual(
          created,
          expectedBusiness({ business_id: created.business_id, subject_record_id }, given, created),
        );
        assert.equal(created.tax_id, "*****6789");
        const unmasked = await getBusiness(client, created.business_id, { show_sensitive_data: true });
        assert.equal(unmasked.tax_id, "123456789");
      });

      it("fills the keys an address left out with null", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const created = await createBusiness(client, subject_record_id, {
          addresses: [{ address_type: "MAILING", city: "Austin" }],
        });
        assert.deepEqual(created.addresses, [
          {
            address_type: "MAILING",
            line1: null,
            line2: null,
            city: "Austin",
            state: null,
            postal_code: null,
            country: null,
          },
        ]);
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies with the field's path, writing nothing", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{}, [badRequest("subject_record_id", "is required")]],
          [
            { subject_record_id: "w_163Gh1ONk6BCHF9iYVDHcv" },
            [badRequest("subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"')],
          ],
          [
            { subject_record_id, business: { nickname: "x" } },
            [badRequest("business.nickname", "is not a known field")],
          ],
          [{ subject_record_id, business: null }, [badRequest("business", "must be object")]],
          [
            { subject_record_id, business: { legal_name: "" } },
            [badRequest("business.legal_name", "must NOT have fewer than 1 characters")],
          ],
          [
            { subject_record_id, business: { registration_type: "llc" } },
            [
              badRequest(
                "business.registration_type",
                "must be one of SOLE_PROPRIETORSHIP, PARTNERSHIP, LLC, CORPORATION, S_CORPORATION, NON_PROFIT, GOVERNMENT",
              ),
            ],
          ],
          [
            { subject_record_id, business: { tax_id: "12-3456789" } },
            [badRequest("business.tax_id", "must be 9 digits with no dashes")],
          ],
          [
            { subject_record_id, business: { websites: ["https://a.example", "https://A.example/"] } },
            [badRequest("business.websites[1]", "repeats the URL of item 0")],
          ],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "business.create", body), 400, errors);
        }
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
      });

      it("answers ENTITY_NOT_FOUND for an unknown subject record", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("business.create", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
      });

      it("allows one business per BUSINESS record and none on a PERSON record", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const first = await createBusiness(client, subject_record_id);
        expectErrors(await client.call("business.create", { subject_record_id }), 400, [
          DATA_ERRORS.maxBusiness,
        ]);
        assert.deepEqual(await getBusiness(client, first.business_id), first);
        const person = await createSubjectRecord(client, account.id, "PERSON");
        expectErrors(await client.call("business.create", { subject_record_id: person }), 400, [
          DATA_ERRORS.maxBusiness,
        ]);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 1);
        assert.deepEqual(await entityEvents(server(), account.id, person), []);
      });

      it("of 8 simultaneous creates on one record exactly one succeeds, the others MAX_BUSINESS_LIMIT", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            client.call("business.create", { subject_record_id, business: { legal_name: `Racer ${i}` } }),
          ),
        );
        const winners = results.filter((r) => r.ok);
        assert.equal(winners.length, 1);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [DATA_ERRORS.maxBusiness]);
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.deepEqual(
          events.map((e) => [e.event_type, e.payload.entity_id]),
          [["BUSINESS_CREATED", winners[0]?.ok ? winners[0].data.business.business_id : ""]],
        );
      });

      it("refuses a record whose business application has ENDED, after the body and lookup checks", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await endApplication(server(), client, account.id, subject_record_id);
        expectErrors(await client.call("business.create", { subject_record_id }), 400, [DATA_ERRORS.ended]);
        // BAD_REQUEST (step 1) comes before the guard (step 6)…
        expectErrors(
          await callUntyped(client, "business.create", { subject_record_id, business: { tax_id: "1" } }),
          400,
          [badRequest("business.tax_id", "must be 9 digits with no dashes")],
        );
        // …and the guard before the business limit (step 9).
        const full = await createSubjectRecord(client, account.id);
        await createBusiness(client, full);
        await endApplication(server(), client, account.id, full);
        expectErrors(await client.call("business.create", { subject_record_id: full }), 400, [
          DATA_ERRORS.ended,
        ]);
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
      });

      it("a CREATED or STARTED application blocks nothing", async () => {
        const { client, account } = await server().fixture();
        for (const state of ["CREATED", "STARTED"] as const) {
          const created = expectOk(
            await client.call("workflow.create", {
              account_id: account.id,
              workflow: {
                type: "BUSINESS_APPLICATION",
                state,
                details: { business_application_details: { applying_user: { email: "a@example.com" } } },
              },
            }),
          );
          await createBusiness(client, created.workflow.subject_record_id);
        }
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        expectErrors(await reader.call("business.create", { subject_record_id }), 403, [
          ERRORS.readOnly("business.create"),
        ]);
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
        await createBusiness(client, subject_record_id);
      });

      it("hides another organization's, an unlisted account's and a live account's record, even an ENDED one", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          expectErrors(await viewer.call("business.create", { subject_record_id }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          // ENTITY_NOT_FOUND (step 3) comes before the ENDED guard (step 6).
          await endApplication(server(), owner, accountId, subject_record_id);
          expectErrors(await viewer.call("business.create", { subject_record_id }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.deepEqual(await entityEvents(server(), accountId, subject_record_id), [], name);
        }
      });
    });
  });
}

/**
 * business.update under data.md §2.3: a given field replaces the stored one, null unsets it (an
 * array becomes []), a field left out stays; an absent or empty wrapper changes nothing, keeps
 * updated_at and writes no event; BUSINESS_UPDATED names the wrapper's fields in byte order; the
 * ENDED guard; who may update which business.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  expectedBusiness,
  FULL_BUSINESS,
  getBusiness,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`business.update [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("replaces given fields, unsets null ones, keeps the rest, and moves updated_at", async () => {
        const { client, account } = await server().fixture({ credential: { name: "editor" } });
        const business = await newBusiness(client, account.id, FULL_BUSINESS);
        server().clock.offsetMs += 1000;
        const change = {
          websites: ["https://acme.example/a", "https://acme.example/b"],
          legal_name: "Acme Holdings LLC",
          email: null,
          addresses: null,
          industry_category_codes: [],
        };
        expectOk(
          await client.call("business.update", { business_id: business.business_id, business: change }),
        );
        const after = await getBusiness(client, business.business_id);
        assert.ok(after.updated_at > business.updated_at);
        assert.deepEqual(after, {
          ...business,
          websites: change.websites,
          legal_name: change.legal_name,
          email: null,
          addresses: [],
          industry_category_codes: [],
          updated_at: after.updated_at,
        });
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.deepEqual(
          events.map((e) => e.event_type),
          ["BUSINESS_CREATED", "BUSINESS_UPDATED"],
        );
        assertEntityEvent(
          events[1],
          {
            event_type: "BUSINESS_UPDATED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Business",
            entity_id: business.business_id,
            fields: ["addresses", "email", "industry_category_codes", "legal_name", "websites"],
          },
          "editor",
        );
      });

      it("unsets every field given as null", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id, FULL_BUSINESS);
        const nulls = Object.fromEntries(Object.keys(FULL_BUSINESS).map((field) => [field, null]));
        expectOk(
          await client.call("business.update", { business_id: business.business_id, business: nulls }),
        );
        const after = await getBusiness(client, business.business_id);
        assert.deepEqual(
          after,
          expectedBusiness(
            { business_id: business.business_id, subject_record_id: business.subject_record_id },
            {},
            after,
          ),
        );
      });

      it("with an empty or absent wrapper changes nothing, keeps updated_at and writes no event", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id, FULL_BUSINESS);
        server().clock.offsetMs += 1000;
        for (const body of [
          { business_id: business.business_id, business: {} },
          { business_id: business.business_id },
        ]) {
          expectOk(await client.call("business.update", body));
          assert.deepEqual(await getBusiness(client, business.business_id), business);
        }
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 1);
      });

      it("moves updated_at and writes an event even when a value given equals the stored one", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id, { legal_name: "Same" });
        server().clock.offsetMs += 1000;
        expectOk(
          await client.call("business.update", {
            business_id: business.business_id,
            business: { legal_name: "Same" },
          }),
        );
        const after = await getBusiness(client, business.business_id);
        assert.ok(after.updated_at > business.updated_at);
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.deepEqual(events[1]?.payload.fields, ["legal_name"]);
      });

      it("keeps both of two simultaneous updates of different fields", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const fields = ["legal_name", "operating_name", "email", "phone_number"] as const;
        const values = {
          legal_name: "L",
          operating_name: "O",
          email: "a@b.example",
          phone_number: "2025550143",
        };
        const results = await Promise.all(
          fields.map((field) =>
            client.call("business.update", {
              business_id: business.business_id,
              business: { [field]: values[field] },
            }),
          ),
        );
        for (const result of results) expectOk(result);
        const after = await getBusiness(client, business.business_id);
        for (const field of fields) assert.equal(after[field], values[field], field);
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 5);
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies with the field's path, changing nothing", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id, FULL_BUSINESS);
        const business_id = business.business_id;
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ business: {} }, [badRequest("business_id", "is required")]],
          [
            { business_id, business: { business_id: "b_1" } },
            [badRequest("business.business_id", "is not a known field")],
          ],
          [
            { business_id, business: { websites: "https://x.example" } },
            [badRequest("business.websites", "must be array,null")],
          ],
          [
            { business_id, business: { phone_number: "1025550143" } },
            [
              badRequest(
                "business.phone_number",
                "must be a 10-digit US phone number (NANP area code and exchange), digits only",
              ),
            ],
          ],
          [
            {
              business_id,
              business: {
                addresses: [
                  { address_type: "LEGAL", line1: "P.O. Box 12" },
                  { address_type: "LEGAL", postal_code: "9410" },
                ],
              },
            },
            [
              badRequest("business.addresses[1].address_type", "repeats the address type of item 0"),
              badRequest("business.addresses[0].line1", "must not be a P.O. box in a LEGAL address"),
              badRequest(
                "business.addresses[1].postal_code",
                "must be a US ZIP code, NNNNN or NNNNN-NNNN, when country is US or absent",
              ),
            ],
          ],
        ];
        for (const [body, errors] of cases)
          expectErrors(await callUntyped(client, "business.update", body), 400, errors);
        assert.deepEqual(await getBusiness(client, business_id), business);
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 1);
      });

      it("answers ENTITY_NOT_FOUND for an unknown business", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("business.update", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv", business: {} }),
          400,
          [notFound("Business", "business_id")],
        );
      });

      it("is refused once the record's business application has ENDED, even with an empty wrapper", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        await endApplication(server(), client, account.id, business.subject_record_id);
        for (const wrapper of [{ legal_name: "Late" }, {}]) {
          expectErrors(
            await client.call("business.update", { business_id: business.business_id, business: wrapper }),
            400,
            [DATA_ERRORS.ended],
          );
        }
        assert.deepEqual(await getBusiness(client, business.business_id), business);
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 1);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        expectErrors(
          await reader.call("business.update", {
            business_id: business.business_id,
            business: { legal_name: "X" },
          }),
          403,
          [ERRORS.readOnly("business.update")],
        );
        assert.deepEqual(await getBusiness(client, business.business_id), business);
      });

      it("hides another organization's, an unlisted account's and a live account's business", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          const body = { business_id: business.business_id, business: { legal_name: "Hijacked" } };
          expectErrors(await viewer.call("business.update", body), 400, [
            notFound("Business", "business_id"),
          ]);
          // ENTITY_NOT_FOUND (step 3) comes before the ENDED guard (step 6).
          await endApplication(server(), owner, accountId, business.subject_record_id);
          expectErrors(await viewer.call("business.update", body), 400, [
            notFound("Business", "business_id"),
          ]);
          assert.deepEqual(await getBusiness(owner, business.business_id), business, name);
        }
      });
    });
  });
}

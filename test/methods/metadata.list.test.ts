/**
 * metadata.list: entries grouped by type (byte order), oldest first within a type, the two
 * filters (items ORed, filters ANDed), no pagination; and subjectRecord.delete taking the record's
 * metadata and links with it (data.md §12.2); who may list.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { createMetadata, defineType } from "../support/metadata.js";
import { createPerson } from "../support/persons.js";
import { useTestServer } from "../support/server.js";
import { queryRows } from "../support/sql.js";
import {
  badRequest,
  callUntyped,
  createSubjectRecord,
  expectErrors,
  expectOk,
  notFound,
} from "../support/workflows.js";

const UNKNOWN = "163Gh1ONk6BCHF9iYVDHcv";
const FLAG = { a: { type: "boolean" as const } };

for (const kind of databaseKinds()) {
  describe(`metadata.list [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("groups entries by type in byte order, oldest first, leaving out empty types and other records", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        for (const type of ["b_type", "A_TYPE", "B_TYPE", "EMPTY"])
          await defineType(client, account.id, type, FLAG);
        assert.deepEqual(expectOk(await client.call("metadata.list", { subject_record_id })), []);
        const b1 = await createMetadata(client, subject_record_id, "b_type", { a: true });
        const a1 = await createMetadata(client, subject_record_id, "A_TYPE", {});
        const upper = await createMetadata(client, subject_record_id, "B_TYPE", {});
        const b2 = await createMetadata(client, subject_record_id, "b_type", { a: false });
        const a2 = await createMetadata(client, subject_record_id, "A_TYPE", { a: true });
        await createMetadata(client, await createSubjectRecord(client, account.id), "A_TYPE", {});
        assert.deepEqual(expectOk(await client.call("metadata.list", { subject_record_id })), [
          { metadata_type: "A_TYPE", entries: [a1, a2] },
          { metadata_type: "B_TYPE", entries: [upper] },
          { metadata_type: "b_type", entries: [b1, b2] },
        ]);
      });

      it("filters by type and by linked entity: items ORed, the two filters ANDed; unknown IDs match nothing", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const p1 = (await createPerson(client, subject_record_id)).person_id;
        const p2 = (await createPerson(client, subject_record_id)).person_id;
        for (const type of ["X", "Y", "Z"]) await defineType(client, account.id, type, FLAG);
        const x = await createMetadata(client, subject_record_id, "X", {});
        const y = await createMetadata(client, subject_record_id, "Y", {});
        const z = await createMetadata(client, subject_record_id, "Z", {});
        expectOk(await client.call("metadata.links.add", { metadata_id: x.metadata_id, entity_ids: [p1] }));
        expectOk(
          await client.call("metadata.links.add", { metadata_id: y.metadata_id, entity_ids: [p2, p1] }),
        );
        const list = async (filters: Record<string, string[]>) =>
          expectOk(await client.call("metadata.list", { subject_record_id, filters })).flatMap((group) =>
            group.entries.map((e) => e.metadata_id),
          );
        assert.deepEqual(await list({ metadata_type: ["Z", "X"] }), [x.metadata_id, z.metadata_id]);
        assert.deepEqual(await list({ metadata_type: ["x"] }), []);
        assert.deepEqual(await list({ linked_entity_id: [p1] }), [x.metadata_id, y.metadata_id]);
        assert.deepEqual(await list({ linked_entity_id: [p2, `b_${UNKNOWN}`] }), [y.metadata_id]);
        assert.deepEqual(await list({ linked_entity_id: [p1], metadata_type: ["Y", "Z"] }), [y.metadata_id]);
        assert.deepEqual(await list({ linked_entity_id: [`l_${UNKNOWN}`] }), []);
        const [group] = expectOk(
          await client.call("metadata.list", { subject_record_id, filters: { metadata_type: ["Y"] } }),
        );
        assert.deepEqual(group?.entries[0]?.linked_entity_ids, [p2, p1]);
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies, pagination parameters and filters on their field", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{}, [badRequest("subject_record_id", "is required")]],
          [{ subject_record_id, limit: 10 }, [badRequest("limit", "is not a known field")]],
          [{ subject_record_id, cursor: "x" }, [badRequest("cursor", "is not a known field")]],
          [
            { subject_record_id, filters: { metadata_type: [] } },
            [badRequest("filters.metadata_type", "must NOT have fewer than 1 items")],
          ],
          [
            {
              subject_record_id,
              filters: { linked_entity_id: Array.from({ length: 101 }, () => `p_${UNKNOWN}`) },
            },
            [badRequest("filters.linked_entity_id", "must NOT have more than 100 items")],
          ],
          [
            { subject_record_id, filters: { linked_entity_id: [`p_${UNKNOWN}`, `md_${UNKNOWN}`] } },
            [
              badRequest(
                "filters.linked_entity_id[1]",
                'must match pattern "^(p_|ba_|b_|l_)[0-9A-Za-z]{1,22}$"',
              ),
            ],
          ],
          [
            { subject_record_id, filters: { metadata_type: ["1X"] } },
            [badRequest("filters.metadata_type[0]", 'must match pattern "^[A-Za-z][A-Za-z0-9_]{0,63}$"')],
          ],
          [
            { subject_record_id, filters: { other: ["x"] } },
            [badRequest("filters.other", "is not a known field")],
          ],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "metadata.list", body), 400, errors);
        }
      });

      it("answers ENTITY_NOT_FOUND for an unknown record", async () => {
        const { client } = await server().fixture();
        expectErrors(await client.call("metadata.list", { subject_record_id: `sr_${UNKNOWN}` }), 400, [
          notFound("Subject Record", "subject_record_id"),
        ]);
      });
    });

    describe("subjectRecord.delete", () => {
      it("deletes the record's entries and their links, and nothing of another record", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const kept = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "T", FLAG);
        const person = await createPerson(client, subject_record_id);
        const gone = await createMetadata(client, subject_record_id, "T", {});
        expectOk(
          await client.call("metadata.links.add", {
            metadata_id: gone.metadata_id,
            entity_ids: [person.person_id],
          }),
        );
        const stays = await createMetadata(client, kept, "T", {});
        expectOk(await client.call("subjectRecord.delete", { subject_record_id }));
        expectErrors(await client.call("metadata.get", { metadata_id: gone.metadata_id }), 400, [
          notFound("Metadata", "metadata_id"),
        ]);
        const rows = await queryRows(
          server().database,
          "select metadata_id from metadata_link where metadata_id = $1",
          [gone.metadata_id],
        );
        assert.deepEqual(rows, []);
        assert.deepEqual(
          expectOk(await client.call("metadata.get", { metadata_id: stays.metadata_id })).metadata,
          stays,
        );
        // The type is the account's: it outlives the record.
        await createMetadata(client, kept, "T", {});
      });
    });

    describe("authorization", () => {
      it("a read-only credential may list", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "T", FLAG);
        const entry = await createMetadata(client, subject_record_id, "T", {});
        assert.deepEqual(expectOk(await reader.call("metadata.list", { subject_record_id })), [
          { metadata_type: "T", entries: [entry] },
        ]);
      });

      it("hides another organization's, an unlisted account's and a live account's record", async () => {
        for (const [i, { name, viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          await defineType(owner, accountId, `T${i}`, FLAG);
          await createMetadata(owner, subject_record_id, `T${i}`, {});
          expectErrors(await viewer.call("metadata.list", { subject_record_id }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.equal(expectOk(await owner.call("metadata.list", { subject_record_id })).length, 1, name);
        }
      });
    });
  });
}

/** metadata.get: the entry as created and linked; malformed and unknown IDs; who may read it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { createMetadata, defineType, getMetadata } from "../support/metadata.js";
import { createPerson } from "../support/persons.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  createSubjectRecord,
  expectErrors,
  expectOk,
  notFound,
} from "../support/workflows.js";

const UNKNOWN = "163Gh1ONk6BCHF9iYVDHcv";

for (const kind of databaseKinds()) {
  describe(`metadata.get [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("answers the entry with its details and links, in link order", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const people = [
          await createPerson(client, subject_record_id),
          await createPerson(client, subject_record_id),
        ];
        await defineType(client, account.id, "IP_ADDRESS");
        const entry = await createMetadata(client, subject_record_id, "IP_ADDRESS", {
          ip_v4: "10.0.0.1",
          port: 8080,
        });
        const ids = [people[1]?.person_id ?? "", people[0]?.person_id ?? ""];
        expectOk(
          await client.call("metadata.links.add", { metadata_id: entry.metadata_id, entity_ids: ids }),
        );
        const got = await getMetadata(client, entry.metadata_id);
        assert.deepEqual(got, { ...entry, linked_entity_ids: ids, updated_at: got.updated_at });
      });
    });

    describe("errors", () => {
      it("answers BAD_REQUEST for a missing or malformed ID and ENTITY_NOT_FOUND for an unknown one", async () => {
        const { client } = await server().fixture();
        expectErrors(await callUntyped(client, "metadata.get", {}), 400, [
          badRequest("metadata_id", "is required"),
        ]);
        expectErrors(await callUntyped(client, "metadata.get", { metadata_id: `p_${UNKNOWN}` }), 400, [
          badRequest("metadata_id", 'must match pattern "^(md_)[0-9A-Za-z]{1,22}$"'),
        ]);
        expectErrors(
          await callUntyped(client, "metadata.get", {
            metadata_id: `md_${UNKNOWN}`,
            show_sensitive_data: true,
          }),
          400,
          [badRequest("show_sensitive_data", "is not a known field")],
        );
        expectErrors(await client.call("metadata.get", { metadata_id: `md_${UNKNOWN}` }), 400, [
          notFound("Metadata", "metadata_id"),
        ]);
      });
    });

    describe("authorization", () => {
      it("a read-only credential may read; another organization, an unlisted or a live account's entry is hidden", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "T");
        const entry = await createMetadata(client, subject_record_id, "T");
        assert.deepEqual(await getMetadata(reader, entry.metadata_id), entry);
        for (const [i, { name, viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          await defineType(owner, accountId, `T${i}`);
          const hidden = await createMetadata(owner, await createSubjectRecord(owner, accountId), `T${i}`);
          expectErrors(await viewer.call("metadata.get", { metadata_id: hidden.metadata_id }), 400, [
            notFound("Metadata", "metadata_id"),
          ]);
          assert.deepEqual(await getMetadata(owner, hidden.metadata_id), hidden, name);
        }
      });
    });
  });
}

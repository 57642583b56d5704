/**
 * metadata.create: the entry as metadata.get answers it and its event; the details judged against
 * the type (keys, required, null, the three types, each format's accepted and refused values with
 * the ipv4 rows of data.md §15); the check order (ENF of record then type, details, ENDED, limit);
 * the per-type limit, raced at max_count − 1; who may create where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { createMetadata, defineType, getMetadata, METADATA_ERRORS } from "../support/metadata.js";
import { useTestServer } from "../support/server.js";
import { executeSql } from "../support/sql.js";
import {
  badRequest,
  callUntyped,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const METADATA_ID = /^md_[0-9A-Za-z]{21,22}$/;

const FORMAT_CASES: [string, string[], string[], string][] = [
  [
    "ipv4",
    ["192.168.0.1", "0.0.0.0", "255.255.255.255", "10.0.10.100"],
    ["192.168.00.1", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", " 1.2.3.4", "1.2.3.4/24", "::1"],
    "must be an IPv4 address, four numbers 0–255 without leading zeros",
  ],
  [
    "ipv6",
    ["::1", "2001:db8::8a2e:370:7334", "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:192.0.2.1", "::"],
    ["fe80::1%eth0", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "12345::", "192.168.0.1", "g::1"],
    "must be an IPv6 address in RFC 4291 text form, without a zone ID",
  ],
  [
    "email",
    ["a@example.com", "first.last+tag@sub.example.org"],
    ["a@b", "no-at.example.com", "a@@example.com", "a b@example.com"],
    "must be an email address",
  ],
  [
    "uri",
    [
      "https://example.com/path?q=1#f",
      "urn:isbn:0451450523",
      "mailto:a@example.com",
      `https://e.com/${"a".repeat(2034)}`,
    ],
    [
      "example.com",
      "/relative/path",
      "https://exa mple.com",
      "http://e.com/%zz",
      `https://e.com/${"a".repeat(2035)}`,
    ],
    "must be an absolute URI of at most 2048 characters",
  ],
  [
    "date",
    ["2024-02-29", "1999-12-31"],
    ["2023-02-29", "2023-13-01", "2023-1-01", "20230101", "2023-01-01T00:00:00Z"],
    "must be a real date YYYY-MM-DD",
  ],
];

for (const kind of databaseKinds()) {
  describe(`metadata.create [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("creates an entry, answers it as metadata.get does, and writes METADATA_CREATED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "IP_ADDRESS");
        const created = await createMetadata(client, subject_record_id, "IP_ADDRESS", {
          ip_v4: "192.168.0.1",
          port: 443,
        });
        assert.match(created.metadata_id, METADATA_ID);
        assert.match(created.created_at, ISO_MS);
        assert.deepEqual(created, {
          metadata_id: created.metadata_id,
          subject_record_id,
          metadata_type: "IP_ADDRESS",
          metadata_type_owner: "ACCOUNT",
          details: { ip_v4: "192.168.0.1", port: 443 },
          linked_entity_ids: [],
          created_at: created.created_at,
          updated_at: created.created_at,
        });
        assert.deepEqual(await getMetadata(client, created.metadata_id), created);
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.equal(events.length, 1);
        assertEntityEvent(
          events[0],
          {
            event_type: "METADATA_CREATED",
            account_id: account.id,
            subject_record_id,
            entity_type: "Metadata",
            entity_id: created.metadata_id,
          },
          "ops key",
        );
      });

      it("keeps each type's values: text up to 1000 characters, safe integers, booleans; optional fields may be left out", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "MIXED", {
          text: { type: "string" },
          count: { type: "integer" },
          flag: { type: "boolean", required: true },
        });
        const details = { text: "é".repeat(1000), count: -9007199254740991, flag: false };
        assert.deepEqual(
          (await createMetadata(client, subject_record_id, "MIXED", details)).details,
          details,
        );
        const big = { count: 9007199254740991, flag: true };
        assert.deepEqual((await createMetadata(client, subject_record_id, "MIXED", big)).details, big);
        assert.deepEqual((await createMetadata(client, subject_record_id, "MIXED", { flag: true })).details, {
          flag: true,
        });
      });

      it("accepts and refuses each format's values on metadata.details.<name>", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(
          client,
          account.id,
          "FORMATS",
          Object.fromEntries(FORMAT_CASES.map(([format]) => [format, { type: "string", format }])) as never,
        );
        for (const [format, accepted, refused, message] of FORMAT_CASES) {
          for (const value of accepted) {
            const entry = await createMetadata(client, subject_record_id, "FORMATS", { [format]: value });
            assert.deepEqual(entry.details, { [format]: value }, `${format} ${value}`);
          }
          for (const value of refused) {
            expectErrors(
              await client.call("metadata.create", {
                subject_record_id,
                metadata: { metadata_type: "FORMATS", details: { [format]: value } },
              }),
              400,
              [badRequest(`metadata.details.${format}`, message)],
            );
          }
        }
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies at step 1, even for an unknown record", async () => {
        const { client } = await server().fixture();
        const subject_record_id = "sr_163Gh1ONk6BCHF9iYVDHcv";
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ subject_record_id }, [badRequest("metadata", "is required")]],
          [
            { subject_record_id, metadata: { metadata_type: "T" } },
            [badRequest("metadata.details", "is required")],
          ],
          [
            { subject_record_id, metadata: { details: {} } },
            [badRequest("metadata.metadata_type", "is required")],
          ],
          [
            { subject_record_id, metadata: { metadata_type: "T", details: {}, extra: 1 } },
            [badRequest("metadata.extra", "is not a known field")],
          ],
          [
            { subject_record_id, metadata: { metadata_type: "T", details: { a: null } } },
            [badRequest("metadata.details.a", "must be string,integer,boolean")],
          ],
          [
            { subject_record_id, metadata: { metadata_type: "T", details: { a: 1.5 } } },
            [badRequest("metadata.details.a", "must be string,integer,boolean")],
          ],
          [
            { subject_record_id, metadata: { metadata_type: "T", details: { a: { b: 1 } } } },
            [badRequest("metadata.details.a", "must be string,integer,boolean")],
          ],
          [
            { subject_record_id, metadata: { metadata_type: "T", details: [] } },
            [badRequest("metadata.details", "must be object")],
          ],
        ];
        for (const [body, errors] of cases) {
          const result = await callUntyped(client, "metadata.create", body);
          assert.equal(result.ok, false);
          assert.equal(result.ok ? 0 : result.status, 400);
          assert.deepEqual(
            result.ok ? [] : result.errors.map((e) => e.field),
            errors.map((e) => e.field),
          );
        }
      });

      it("judges details against the type: unknown keys, missing required ones, wrong types, text rules, all reported", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "T", {
          name: { type: "string", required: true },
          count: { type: "integer" },
          flag: { type: "boolean" },
        });
        const call = (details: Record<string, unknown>) =>
          callUntyped(client, "metadata.create", {
            subject_record_id,
            metadata: { metadata_type: "T", details },
          });
        expectErrors(await call({ count: 1, other: "x" }), 400, [
          badRequest("metadata.details.other", "is not a field of this metadata type"),
          badRequest("metadata.details.name", "is required by this metadata type"),
        ]);
        expectErrors(await call({ name: 1, count: "1", flag: "true" }), 400, [
          badRequest("metadata.details.name", "must be a string"),
          badRequest(
            "metadata.details.count",
            "must be a JSON integer from -9007199254740991 to 9007199254740991",
          ),
          badRequest("metadata.details.flag", "must be a JSON boolean"),
        ]);
        expectErrors(await call({ name: "x", count: 9007199254740992 }), 400, [
          badRequest(
            "metadata.details.count",
            "must be a JSON integer from -9007199254740991 to 9007199254740991",
          ),
        ]);
        const text = "must be 1 to 1000 characters, not only whitespace, with no control characters";
        for (const name of ["", "   ", "a\u0007b", "x".repeat(1001)]) {
          expectErrors(await call({ name }), 400, [badRequest("metadata.details.name", text)]);
        }
        expectErrors(await call({}), 400, [
          badRequest("metadata.details.name", "is required by this metadata type"),
        ]);
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
      });

      it("answers ENTITY_NOT_FOUND for an unknown record, then for a type the record's account lacks", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const other = await server().fixture();
        await defineType(other.client, other.account.id, "THEIRS");
        await defineType(client, account.id, "ip_address");
        for (const metadata_type of ["THEIRS", "IP_ADDRESS"]) {
          expectErrors(
            await client.call("metadata.create", {
              subject_record_id,
              metadata: { metadata_type, details: { ip_v4: "x" } },
            }),
            400,
            [notFound("Metadata Type", "metadata.metadata_type")],
          );
        }
        expectErrors(
          await client.call("metadata.create", {
            subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv",
            metadata: { metadata_type: "THEIRS", details: {} },
          }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
      });

      it("refuses an ENDED record after the details checks, before the limit", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "ONE", { a: { type: "boolean" } }, { max_count: 1 });
        await createMetadata(client, subject_record_id, "ONE", {});
        await endApplication(server(), client, account.id, subject_record_id);
        const call = (details: Record<string, unknown>) =>
          callUntyped(client, "metadata.create", {
            subject_record_id,
            metadata: { metadata_type: "ONE", details },
          });
        expectErrors(await call({ a: "yes" }), 400, [
          badRequest("metadata.details.a", "must be a JSON boolean"),
        ]);
        expectErrors(await call({ a: true }), 400, [DATA_ERRORS.ended]);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 1);
      });

      it("of 6 simultaneous creates at max_count − 1 exactly one wins; other types and records count apart", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "FIVE", { a: { type: "boolean" } }, { max_count: 5 });
        await defineType(client, account.id, "OTHER", { a: { type: "boolean" } });
        for (let i = 0; i < 4; i += 1) await createMetadata(client, subject_record_id, "FIVE", {});
        const results = await Promise.all(
          Array.from({ length: 6 }, () =>
            client.call("metadata.create", {
              subject_record_id,
              metadata: { metadata_type: "FIVE", details: {} },
            }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [METADATA_ERRORS.maxEntries]);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 5);
        await createMetadata(client, subject_record_id, "OTHER", {});
        await createMetadata(client, await createSubjectRecord(client, account.id), "FIVE", {});
      });

      it("allows 1,000 entries of a type whose max_count is -1", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "MANY", { a: { type: "boolean" } });
        const now = new Date().toISOString();
        // 998 rows past the API (the count is what is judged), then a race at 999.
        await executeSql(server().database, [
          [
            `with recursive c(n) as (select 1 union all select n + 1 from c where n < 998)
             insert into metadata_entry (id, subject_record_id, metadata_type, details, created_at, updated_at)
             select 'md_seed' || cast(n as text), $1, 'MANY', '{}', $2, $3 from c`,
            [subject_record_id, now, now],
          ],
        ]);
        const results = await Promise.all(
          Array.from({ length: 4 }, () =>
            client.call("metadata.create", {
              subject_record_id,
              metadata: { metadata_type: "MANY", details: {} },
            }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 2);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [METADATA_ERRORS.maxEntries]);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        await defineType(client, account.id, "T");
        expectErrors(
          await reader.call("metadata.create", {
            subject_record_id,
            metadata: { metadata_type: "T", details: { ip_v4: "1.2.3.4" } },
          }),
          403,
          [ERRORS.readOnly("metadata.create")],
        );
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's record", async () => {
        for (const [i, { name, viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          await defineType(owner, accountId, `T${i}`);
          expectErrors(
            await viewer.call("metadata.create", {
              subject_record_id,
              metadata: { metadata_type: `T${i}`, details: { ip_v4: "1.2.3.4" } },
            }),
            400,
            [notFound("Subject Record", "subject_record_id")],
          );
          assert.deepEqual(await entityEvents(server(), accountId, subject_record_id), [], name);
        }
      });
    });
  });
}

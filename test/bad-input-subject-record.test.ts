/**
 * Strict body validation (wire.md) of meta.checkVersion and subjectRecord.create/get/list: each
 * bad body is BAD_REQUEST naming the exact field, several faults are reported together, and
 * nothing is written.
 */
import { describe } from "node:test";
import { newId } from "../src/domain/ids.js";
import { SUBJECT_RECORD_TYPES } from "../src/domain/records.js";
import { badInputCases, sharedFixture } from "./support/bad-input-runner.js";
import { type BadInputCase, expected, malformedIds } from "./support/bad-request.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

const TYPES = SUBJECT_RECORD_TYPES;

for (const kind of databaseKinds()) {
  describe(`bad input: meta.checkVersion and subjectRecord.* [${kind}]`, () => {
    const server = useTestServer(kind);
    const suite = { server, fixture: sharedFixture(server) };

    badInputCases(
      suite,
      "meta.checkVersion",
      () => [
        ["an unknown field", { verbose: true }, [expected.unknown("verbose")]],
        ["two unknown fields", { a: 1, b: 2 }, [expected.unknown("a"), expected.unknown("b")]],
        ["a prototype key", JSON.parse('{"__proto__":{"x":1}}'), [expected.unknown("__proto__")]],
      ],
      { signed: false },
    );

    badInputCases(suite, "subjectRecord.create", ({ account }) => {
      const valid = { account_id: account.id, subject_record: { type: "BUSINESS" } };
      return [
        ["account_id missing", { subject_record: valid.subject_record }, [expected.required("account_id")]],
        ["subject_record missing", { account_id: account.id }, [expected.required("subject_record")]],
        [
          "subject_record.type missing",
          { ...valid, subject_record: {} },
          [expected.required("subject_record.type")],
        ],
        ["everything missing", {}, [expected.required("account_id"), expected.required("subject_record")]],
        ["account_id a number", { ...valid, account_id: 42 }, [expected.type("account_id", "string")]],
        ["account_id null", { ...valid, account_id: null }, [expected.type("account_id", "string")]],
        [
          "subject_record a string",
          { ...valid, subject_record: "BUSINESS" },
          [expected.type("subject_record", "object")],
        ],
        [
          "subject_record an array",
          { ...valid, subject_record: ["BUSINESS"] },
          [expected.type("subject_record", "object")],
        ],
        [
          "type outside the enumeration",
          { ...valid, subject_record: { type: "ROBOT" } },
          [expected.oneOf("subject_record.type", TYPES)],
        ],
        [
          "type in lower case",
          { ...valid, subject_record: { type: "business" } },
          [expected.oneOf("subject_record.type", TYPES)],
        ],
        [
          "type with whitespace",
          { ...valid, subject_record: { type: " BUSINESS" } },
          [expected.oneOf("subject_record.type", TYPES)],
        ],
        [
          "type a number",
          { ...valid, subject_record: { type: 1 } },
          [expected.type("subject_record.type", "string")],
        ],
        ["an unknown top-level field", { ...valid, name: "x" }, [expected.unknown("name")]],
        [
          "an unknown nested field",
          { ...valid, subject_record: { type: "BUSINESS", account_id: account.id } },
          [expected.unknown("subject_record.account_id")],
        ],
        [
          "several faults at once",
          { account_id: 5, subject_record: { type: "X", extra: 1 }, more: true },
          [
            expected.unknown("more"),
            expected.type("account_id", "string"),
            expected.unknown("subject_record.extra"),
            expected.oneOf("subject_record.type", TYPES),
          ],
        ],
        ...malformedIds(account.id, "sr_").map(
          ([name, id]): BadInputCase => [
            `account_id with ${name}`,
            { ...valid, account_id: id },
            [expected.idPattern("account_id", "sb_", "lv_")],
          ],
        ),
      ];
    });

    badInputCases(suite, "subjectRecord.get", () => {
      const id = newId("subjectRecord");
      return [
        ["subject_record_id missing", {}, [expected.required("subject_record_id")]],
        [
          "subject_record_id missing, a flag given",
          { verbose: true },
          [expected.required("subject_record_id")],
        ],
        [
          "subject_record_id a number",
          { subject_record_id: 7 },
          [expected.type("subject_record_id", "string")],
        ],
        [
          "verbose a string",
          { subject_record_id: id, verbose: "true" },
          [expected.type("verbose", "boolean")],
        ],
        ["verbose a number", { subject_record_id: id, verbose: 1 }, [expected.type("verbose", "boolean")]],
        [
          "show_sensitive_data null",
          { subject_record_id: id, show_sensitive_data: null },
          [expected.type("show_sensitive_data", "boolean")],
        ],
        ["an unknown field", { subject_record_id: id, include: "workflows" }, [expected.unknown("include")]],
        [
          "several faults at once",
          { subject_record_id: "w_abc", verbose: "yes", show_sensitive_data: 1 },
          [
            expected.idPattern("subject_record_id", "sr_"),
            expected.type("verbose", "boolean"),
            expected.type("show_sensitive_data", "boolean"),
          ],
        ],
        ...malformedIds(id, "w_").map(
          ([name, bad]): BadInputCase => [
            `subject_record_id with ${name}`,
            { subject_record_id: bad },
            [expected.idPattern("subject_record_id", "sr_")],
          ],
        ),
      ];
    });

    badInputCases(suite, "subjectRecord.list", ({ account }) => {
      const valid = { account_id: account.id };
      return [
        ["account_id missing", { limit: 10 }, [expected.required("account_id")]],
        ["account_id an object", { account_id: { id: account.id } }, [expected.type("account_id", "string")]],
        ["limit a string", { ...valid, limit: "10" }, [expected.type("limit", "integer")]],
        ["limit a fraction", { ...valid, limit: 1.5 }, [expected.type("limit", "integer")]],
        ["limit 0", { ...valid, limit: 0 }, [expected.minimum("limit", 1)]],
        ["limit negative", { ...valid, limit: -1 }, [expected.minimum("limit", 1)]],
        ["limit over 1000", { ...valid, limit: 1001 }, [expected.maximum("limit", 1000)]],
        ["cursor a number", { ...valid, cursor: 5 }, [expected.type("cursor", "string")]],
        ["cursor empty", { ...valid, cursor: "" }, [expected.minLength("cursor", 1)]],
        ["cursor too long", { ...valid, cursor: "c".repeat(513) }, [expected.maxLength("cursor", 512)]],
        [
          "cursor not one the server issued",
          { ...valid, cursor: "abc" },
          [expected.other("cursor", "cursor is not a cursor this server issued")],
        ],
        [
          "a foreign cursor on an unknown account: the bad value is reported first",
          { account_id: newId("sandbox"), cursor: "abc" },
          [expected.other("cursor", "cursor is not a cursor this server issued")],
        ],
        ["an unknown field", { ...valid, offset: 10 }, [expected.unknown("offset")]],
        [
          "several faults at once",
          { account_id: "lv_", limit: 0, cursor: 1, page: 2 },
          [
            expected.unknown("page"),
            expected.idPattern("account_id", "sb_", "lv_"),
            expected.minimum("limit", 1),
            expected.type("cursor", "string"),
          ],
        ],
        ...malformedIds(account.id, "ec_").map(
          ([name, id]): BadInputCase => [
            `account_id with ${name}`,
            { account_id: id },
            [expected.idPattern("account_id", "sb_", "lv_")],
          ],
        ),
      ];
    });
  });
}

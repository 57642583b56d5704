/**
 * Strict body validation (wire.md, methods.md) of workflow.get and workflow.list: each bad body is
 * BAD_REQUEST naming the exact field, and a foreign cursor is reported before an unknown record.
 */
import { describe } from "node:test";
import { newId } from "../src/domain/ids.js";
import { badInputCases, sharedFixture } from "./support/bad-input-runner.js";
import { type BadInputCase, expected, malformedIds } from "./support/bad-request.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

for (const kind of databaseKinds()) {
  describe(`bad input: workflow.get/list [${kind}]`, () => {
    const server = useTestServer(kind);
    const suite = { server, fixture: sharedFixture(server) };

    badInputCases(suite, "workflow.get", () => {
      const id = newId("workflow");
      return [
        ["workflow_id missing", {}, [expected.required("workflow_id")]],
        ["workflow_id a number", { workflow_id: 12 }, [expected.type("workflow_id", "string")]],
        ["workflow_id an array", { workflow_id: [id] }, [expected.type("workflow_id", "string")]],
        ["an unknown field", { workflow_id: id, verbose: true }, [expected.unknown("verbose")]],
        [
          "several faults at once",
          { id, workflow_id: "sr_x" },
          [expected.unknown("id"), expected.idPattern("workflow_id", "w_")],
        ],
        ...malformedIds(id, "sr_").map(
          ([name, bad]): BadInputCase => [
            `workflow_id with ${name}`,
            { workflow_id: bad },
            [expected.idPattern("workflow_id", "w_")],
          ],
        ),
      ];
    });

    badInputCases(suite, "workflow.list", () => {
      const id = newId("subjectRecord");
      return [
        ["subject_record_id missing", { limit: 5 }, [expected.required("subject_record_id")]],
        [
          "subject_record_id null",
          { subject_record_id: null },
          [expected.type("subject_record_id", "string")],
        ],
        ["limit a boolean", { subject_record_id: id, limit: true }, [expected.type("limit", "integer")]],
        ["limit 0", { subject_record_id: id, limit: 0 }, [expected.minimum("limit", 1)]],
        ["limit over 1000", { subject_record_id: id, limit: 5000 }, [expected.maximum("limit", 1000)]],
        ["cursor empty", { subject_record_id: id, cursor: "" }, [expected.minLength("cursor", 1)]],
        [
          "cursor not one the server issued",
          { subject_record_id: id, cursor: "bm90IGEgY3Vyc29y" },
          [expected.other("cursor", "cursor is not a cursor this server issued")],
        ],
        [
          "an unknown field",
          { subject_record_id: id, type: "BUSINESS_APPLICATION" },
          [expected.unknown("type")],
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
  });
}

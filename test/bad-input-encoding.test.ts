/**
 * wire.md "Requests": the body is one JSON object in UTF-8. Bytes that are not UTF-8, a key given
 * twice at any depth, and a string that is not well-formed Unicode (a lone UTF-16 surrogate sent
 * as a `\u` escape) are each BAD_REQUEST — never replaced by U+FFFD, never stored, never a 500 —
 * through workflow.create and workflow.update, correctly signed, on each database.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IssuedCredential } from "../src/admin/operator.js";
import { MAX_BODY_DEPTH, structureFault } from "../src/http/request-body.js";
import { databaseKinds } from "./support/databases.js";
import { assertError, assertSuccess, send, signedHeaders } from "./support/http.js";
import { useTestServer } from "./support/server.js";
import { accountRows, createApplication, DETAILS, getWorkflow } from "./support/workflows.js";

const USER = `${DETAILS}.applying_user`;
const bad = (field: string | null, message: string) => ({ code: "BAD_REQUEST" as const, message, field });
const NOT_UTF8 = bad(null, "Request body is not valid UTF-8");
const twice = (field: string) => bad(field, `${field} is given more than once`);
const notWellFormed = (field: string) =>
  bad(field, `${field} is not well-formed Unicode (it holds a lone surrogate)`);

/** Signs and sends exactly these body bytes. */
function sendSigned(url: string, credential: IssuedCredential, method: string, body: string | Buffer) {
  const target = `/${method}`;
  return send(url, target, { body, headers: signedHeaders(credential, target, body) });
}

/** A create body as text, with `firstName` spliced in raw (so escapes and odd bytes go as written). */
function createText(accountId: string, firstName: string): string {
  return `{"account_id":"${accountId}","workflow":{"type":"BUSINESS_APPLICATION","details":{"business_application_details":{"applying_user":{"email":"ann@example.com","first_name":"${firstName}"}}}}}`;
}

/** The same with the first name's bytes replaced by `bytes`. */
function createBytes(accountId: string, bytes: number[]): Buffer {
  const [head, tail] = createText(accountId, "\u0000").split("\u0000") as [string, string];
  return Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
}

const INVALID_UTF8: [string, number[]][] = [
  ["C3 28 FF (the issue's bytes)", [0xc3, 0x28, 0xff]],
  ["a lone continuation byte", [0x44, 0x80, 0x65]],
  ["an overlong '/'", [0xc0, 0xaf]],
  ["a UTF-16 surrogate encoded as UTF-8 (CESU-8)", [0xed, 0xa0, 0x80]],
  ["a sequence cut short", [0x44, 0xe2, 0x82]],
  ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
  ["a Latin-1 é", [0x44, 0xe9]],
];

describe("structureFault: the key and depth scanner, on text JSON.parse accepts", () => {
  const repeatedKeyPath = (text: string) => structureFault(text)?.field ?? null;
  const cases: [string, string, string | null][] = [
    ["no duplicate", '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', null],
    ["top level", '{"a":1,"b":2,"a":3}', "a"],
    ["nested", '{"a":{"b":{"c":1,"c":1}}}', "a.b.c"],
    ["in an array item, by index", '{"list":[{"x":1},{"x":1,"y":2,"x":3}]}', "list[1].x"],
    ["in nested arrays", '{"m":[[1],[{"k":1,"k":2}]]}', "m[1][0].k"],
    ["one copy escaped", '{"ab":1,"\\u0061b":2}', "ab"],
    ["escaped quotes and backslashes inside keys", '{"a\\"b":1,"a\\\\":2,"a\\"b":3}', 'a"b'],
    ["keys inside string values are not keys", '{"a":"{\\"a\\":1,\\"a\\":2}","b":"\\\\"}', null],
    ["a value equal to a key", '{"a":"a","b":"a"}', null],
    ["an empty key twice", '{"":1,"":2}', ""],
    ["whitespace everywhere", '{ "a" : 1 ,\n "a" : 2 }', "a"],
    ["after a closed object", '{"o":{"a":1},"p":1,"o":2}', "o"],
    ["empty containers", '{"a":{},"b":[],"c":[{}],"d":1}', null],
  ];
  for (const [why, text, path] of cases) {
    it(why, () => {
      JSON.parse(text);
      assert.equal(repeatedKeyPath(text), path);
    });
  }
  it("scans a megabyte of keys in one object without trouble", () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `"k${i}":${i}`);
    assert.equal(repeatedKeyPath(`{${keys.join(",")}}`), null);
    assert.equal(repeatedKeyPath(`{${keys.join(",")},"k59999":0}`), "k59999");
  });
  it(`accepts ${MAX_BODY_DEPTH} levels and refuses one more, on the path of the container too deep`, () => {
    const objects = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`;
    assert.equal(structureFault(objects(MAX_BODY_DEPTH)), null);
    const path = Array.from({ length: MAX_BODY_DEPTH }, () => "a").join(".");
    assert.deepEqual(structureFault(objects(MAX_BODY_DEPTH + 1)), {
      field: path,
      message: `${path} nests deeper than ${MAX_BODY_DEPTH} levels`,
    });
    // Arrays and objects mixed, a sibling closed before: the path follows the open containers only.
    const mixed = `{"x":[[1]],"f":{"b":1,"":[0,${"[".repeat(MAX_BODY_DEPTH)}${"]".repeat(MAX_BODY_DEPTH)}]}}`;
    const deep = structureFault(mixed)?.field;
    assert.equal(deep, `f.[1]${"[0]".repeat(MAX_BODY_DEPTH - 3)}`);
  });
  it("stops at the limit on nesting deeper than any recursion could", () => {
    const depth = 200_000;
    const text = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    JSON.parse(text);
    assert.match(structureFault(text)?.message ?? "", /nests deeper than 64 levels$/);
  });
});

for (const kind of databaseKinds()) {
  describe(`bad input: encoding [${kind}]`, () => {
    const server = useTestServer(kind);

    it("bytes that are not UTF-8 are BAD_REQUEST on the body, and write nothing", async () => {
      const { account, credential } = await server().fixture();
      const before = await accountRows(server(), account.id);
      for (const [why, bytes] of INVALID_UTF8) {
        const response = await sendSigned(
          server().url,
          credential,
          "workflow.create",
          createBytes(account.id, bytes),
        );
        assert.doesNotThrow(() => assertError(response, 400, [NOT_UTF8]), why);
      }
      assert.deepEqual(await accountRows(server(), account.id), before);
    });

    it("valid multi-byte UTF-8 is stored exactly as sent", async () => {
      const { account, credential, client } = await server().fixture();
      const name = "Zoë 😀 Łukasz 日本";
      const data = assertSuccess(
        await sendSigned(server().url, credential, "workflow.create", createText(account.id, name)),
      );
      const { workflow_id } = data.workflow as { workflow_id: string };
      const stored = await getWorkflow(client, workflow_id);
      assert.equal(stored.details?.business_application_details?.applying_user?.first_name, name);
    });

    it("a key given twice, at any depth and however escaped, is BAD_REQUEST on its path, and writes nothing", async () => {
      const { account, credential } = await server().fixture();
      const a = account.id;
      const user = (inner: string) =>
        `{"account_id":"${a}","workflow":{"type":"BUSINESS_APPLICATION","details":{"business_application_details":{"applying_user":{${inner}}}}}}`;
      const cases: [string, string, string][] = [
        [
          "top level, different values",
          `{"account_id":"${a}","account_id":"sb_other","workflow":{"type":"ACCOUNT_PROVISIONING"}}`,
          "account_id",
        ],
        [
          "top level, the same value",
          `{"account_id":"${a}","workflow":{"type":"ACCOUNT_PROVISIONING"},"account_id":"${a}"}`,
          "account_id",
        ],
        ["nested", user(`"email":"ann@example.com","email":"bob@example.com"`), `${USER}.email`],
        [
          "nested, one copy escaped",
          user(`"email":"ann@example.com","\\u0065mail":"bob@example.com"`),
          `${USER}.email`,
        ],
        [
          "an object given twice",
          `{"account_id":"${a}","workflow":{"type":"ACCOUNT_PROVISIONING"},"workflow":{"type":"ACCOUNT_PROVISIONING"}}`,
          "workflow",
        ],
      ];
      const before = await accountRows(server(), a);
      for (const [why, text, field] of cases) {
        const response = await sendSigned(server().url, credential, "workflow.create", text);
        assert.doesNotThrow(() => assertError(response, 400, [twice(field)]), why);
      }
      assert.deepEqual(await accountRows(server(), a), before);
    });

    it("a body nested deeper than the limit is BAD_REQUEST on the container too deep, never a 500", async () => {
      const { account, credential } = await server().fixture();
      const before = await accountRows(server(), account.id);
      // As the fuzz test found it: a free-form map (metadata fields) holding 100,000 nested arrays.
      const nested = `${"[".repeat(100_000)}1${"]".repeat(100_000)}`;
      const cases: [string, string, string][] = [
        [
          "metadata.type.define",
          `{"account_id":"${account.id}","metadata_type":"T","fields":{"A":{"type":"string"},"":${nested}}}`,
          `fields.${"[0]".repeat(MAX_BODY_DEPTH - 2)}`,
        ],
        [
          "workflow.create",
          `{"account_id":"${account.id}","workflow":{"x":${nested}}}`,
          `workflow.x${"[0]".repeat(MAX_BODY_DEPTH - 2)}`,
        ],
      ];
      for (const [method, text, field] of cases) {
        const response = await sendSigned(server().url, credential, method, text);
        const message = `${field} nests deeper than ${MAX_BODY_DEPTH} levels`;
        assert.doesNotThrow(() => assertError(response, 400, [bad(field, message)]), method);
      }
      assert.deepEqual(await accountRows(server(), account.id), before);
    });

    it("the same key in sibling objects, or as a value, is not a duplicate", async () => {
      const { account, credential } = await server().fixture();
      const text = `{"account_id":"${account.id}","workflow":{"type":"BUSINESS_APPLICATION","details":{"business_application_details":{"applying_user":{"email":"ann@example.com","first_name":"email"},"referrer_value":"account_id"}}}}`;
      assertSuccess(await sendSigned(server().url, credential, "workflow.create", text));
    });

    it("a lone surrogate in any string is BAD_REQUEST on its field, and writes nothing (no 500, nothing stored)", async () => {
      const { account, credential } = await server().fixture();
      const before = await accountRows(server(), account.id);
      for (const name of ["\\ud800Doe", "Doe\\udfff", "\\udc00\\ud800", "D\\ud83d"]) {
        const response = await sendSigned(
          server().url,
          credential,
          "workflow.create",
          createText(account.id, name),
        );
        assert.doesNotThrow(() => assertError(response, 400, [notWellFormed(`${USER}.first_name`)]), name);
      }
      const referrer = `{"account_id":"${account.id}","workflow":{"type":"BUSINESS_APPLICATION","details":{"business_application_details":{"applying_user":{"email":"ann@example.com"},"referrer_value":"x\\udbff"}}}}`;
      assertError(await sendSigned(server().url, credential, "workflow.create", referrer), 400, [
        notWellFormed(`${DETAILS}.referrer_value`),
      ]);
      assert.deepEqual(await accountRows(server(), account.id), before);
    });

    it("a surrogate pair sent as escapes is one character and is stored", async () => {
      const { account, credential, client } = await server().fixture();
      const data = assertSuccess(
        await sendSigned(
          server().url,
          credential,
          "workflow.create",
          createText(account.id, "Doe \\ud83d\\ude00"),
        ),
      );
      const stored = await getWorkflow(client, (data.workflow as { workflow_id: string }).workflow_id);
      assert.equal(stored.details?.business_application_details?.applying_user?.first_name, "Doe 😀");
    });

    it("workflow.update refuses the same: bytes, a key twice, a lone surrogate, and NUL; the workflow is unchanged", async () => {
      const { account, credential, client } = await server().fixture();
      const workflow = await createApplication(client, account.id, { state: "CREATED", first_name: "Ann" });
      const update = (inner: string) =>
        `{"workflow_id":"${workflow.workflow_id}","workflow":{"details":{"business_application_details":{"applying_user":{${inner}}}}}}`;
      const [head, tail] = update(`"first_name":"\u0000"`).split("\u0000") as [string, string];
      const cases: [string, string | Buffer, ReturnType<typeof bad>][] = [
        [
          "not UTF-8",
          Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(tail)]),
          NOT_UTF8,
        ],
        ["a key twice", update(`"first_name":"Bo","first_name":"Cy"`), twice(`${USER}.first_name`)],
        ["a lone surrogate", update(`"first_name":"\\ud800Doe"`), notWellFormed(`${USER}.first_name`)],
        [
          "NUL",
          update(`"last_name":"D\\u0000e"`),
          bad(`${USER}.last_name`, `${USER}.last_name must not contain the NUL character (U+0000)`),
        ],
      ];
      for (const [why, body, error] of cases) {
        const response = await sendSigned(server().url, credential, "workflow.update", body);
        assert.doesNotThrow(() => assertError(response, 400, [error]), why);
      }
      const after = await getWorkflow(client, workflow.workflow_id);
      assert.equal(after.updated_at, workflow.updated_at);
      assert.equal(after.details?.business_application_details?.applying_user?.first_name, "Ann");
    });
  });
}

/**
 * The email rule of wire.md ("Values"), clause by clause: a table of accepted and refused
 * addresses, checked against the validator itself and through workflow.create and workflow.update
 * on each database (a refused address is BAD_REQUEST on the email field and writes nothing; an
 * accepted one is stored exactly as sent).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isEmailAddress } from "../src/domain/email.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  accountRows,
  applicationBody,
  badRequest,
  callUntyped,
  createApplication,
  DETAILS,
  expectErrors,
  expectOk,
  getWorkflow,
} from "./support/workflows.js";

const EMAIL_FIELD = `${DETAILS}.applying_user.email`;
const local64 = "l".repeat(64);
const label63 = "d".repeat(63);
/** 254 characters exactly: a 64-character local part and a domain of 189. */
const longest = `${local64}@${label63}.${label63}.${"e".repeat(57)}.com`;

/** [why, address]: every clause of the rule has at least one address that meets it at the edge. */
const ACCEPTED: [string, string][] = [
  ["a plain address", "ann@example.com"],
  ["upper case anywhere", "Ann.Lee@Example.COM"],
  ["every special character the dot-atom allows", "!#$%&'*+/=?^_`{|}~-@example.com"],
  ["atoms joined by single dots", "a.b.c@example.com"],
  ["a local part of exactly 64 characters", `${local64}@example.com`],
  ["a one-character local part and labels", "a@b.co"],
  ["digits in the local part and in labels", "2024@123.example.com"],
  ["a hyphen inside a label", "ann@ex-am-ple.com"],
  ["an internationalized domain in its xn-- form", "ann@xn--bcher-kva.example"],
  ["a label of exactly 63 characters", `ann@${label63}.com`],
  ["many labels", "ann@a.b.c.d.example.com"],
  ["a last label that mixes digits and letters", "ann@example.x1"],
  ["254 characters exactly", longest],
];

const REFUSED: [string, string][] = [
  ["no @", "ann.example.com"],
  ["two @", "ann@b@example.com"],
  ["an empty local part", "@example.com"],
  ["an empty domain", "ann@"],
  ["a comma", "a,b@example.com"],
  ["a comment", "a(b)@example.com"],
  ["angle brackets", "<a>@example.com"],
  ["a quoted string", '"ann"@example.com'],
  ["a quoted string with a space", '"a b"@example.com'],
  ["a space", "a b@example.com"],
  ["a backslash", "a\\b@example.com"],
  ["a colon", "a:b@example.com"],
  ["a doubled dot", "a..b@example.com"],
  ["a leading dot", ".a@example.com"],
  ["a trailing dot in the local part", "a.@example.com"],
  ["a 65-character local part", `${local64}l@example.com`],
  ["a label starting with a hyphen", "a@-example.com"],
  ["a label ending with a hyphen", "a@example-.com"],
  ["an underscore in the domain", "a@exa_mple.com"],
  ["a one-label domain", "ann@localhost"],
  ["an empty label", "ann@example..com"],
  ["a leading dot in the domain", "ann@.example.com"],
  ["a trailing dot in the domain", "ann@example.com."],
  ["a last label of digits only", "ann@example.123"],
  ["an IPv4 address as domain", "ann@192.168.0.1"],
  ["a domain literal", "ann@[192.168.0.1]"],
  ["a label of 64 characters", `ann@${label63}d.com`],
  ["255 characters", `${longest.slice(0, -4)}x.com`],
  ["a control character", "an\u0001n@example.com"],
  ["a tab", "an\tn@example.com"],
  ["a trailing line feed", "ann@example.com\n"],
  ["a leading space", " ann@example.com"],
  ["DEL", "an\u007fn@example.com"],
  ["a zero-width space (a look-alike of ann@example.com)", "an\u200bn@example.com"],
  ["a soft hyphen in the domain", "ann@exam\u00adple.com"],
  ["a non-ASCII letter in the local part", "änn@example.com"],
  ["a Cyrillic look-alike letter", "\u0430nn@example.com"],
  ["a non-ASCII domain (not in xn-- form)", "ann@bücher.example"],
  ["a full-width @", "ann\uff20example.com"],
  ["a lone surrogate", "ann\ud800@example.com"],
  ["an empty string", ""],
];

/** The error a refused address gets: over 254 characters names the length, anything else the rule. */
function refusal(address: string) {
  return badRequest(
    EMAIL_FIELD,
    address.length > 254 ? "must NOT have more than 254 characters" : "must be a valid email address",
  );
}

describe("email rule: the validator", () => {
  it("the longest table entry is 254 characters, the too-long one 255", () => {
    assert.equal(longest.length, 254);
    assert.equal(REFUSED.find(([why]) => why === "255 characters")?.[1].length, 255);
  });
  for (const [why, address] of ACCEPTED) {
    it(`accepts ${why}`, () => assert.equal(isEmailAddress(address), true, JSON.stringify(address)));
  }
  for (const [why, address] of REFUSED) {
    it(`refuses ${why}`, () => assert.equal(isEmailAddress(address), false, JSON.stringify(address)));
  }
  it("refuses a megabyte of near-address without trouble", () => {
    assert.equal(isEmailAddress(`${"a.".repeat(500_000)}@example.com`), false);
    assert.equal(isEmailAddress(`ann@${"a-".repeat(500_000)}.com`), false);
  });
});

for (const kind of databaseKinds()) {
  describe(`email rule through the API [${kind}]`, () => {
    const server = useTestServer(kind);

    it("workflow.create stores every accepted address exactly as sent", async () => {
      const { client, account } = await server().fixture();
      for (const [why, email] of ACCEPTED) {
        const created = await createApplication(client, account.id, { email });
        const stored = await getWorkflow(client, created.workflow_id);
        assert.equal(stored.details?.business_application_details?.applying_user?.email, email, why);
      }
    });

    it("workflow.create refuses every refused address on the email field, writing nothing", async () => {
      const { client, account } = await server().fixture();
      const before = await accountRows(server(), account.id);
      for (const [why, email] of REFUSED) {
        const result = await callUntyped(client, "workflow.create", applicationBody(account.id, { email }));
        assert.doesNotThrow(() => expectErrors(result, 400, [refusal(email)]), why);
      }
      assert.deepEqual(await accountRows(server(), account.id), before);
    });

    it("workflow.update accepts every accepted address and refuses every refused one", async () => {
      const { client, account } = await server().fixture();
      const workflow = await createApplication(client, account.id, {
        email: "first@example.com",
        state: "CREATED",
      });
      const update = (email: string) => ({
        workflow_id: workflow.workflow_id,
        workflow: { details: { business_application_details: { applying_user: { email } } } },
      });
      for (const [why, email] of REFUSED) {
        const result = await callUntyped(client, "workflow.update", update(email));
        assert.doesNotThrow(() => expectErrors(result, 400, [refusal(email)]), why);
      }
      const unchanged = await getWorkflow(client, workflow.workflow_id);
      assert.equal(
        unchanged.details?.business_application_details?.applying_user?.email,
        "first@example.com",
      );
      assert.equal(unchanged.updated_at, workflow.updated_at);
      for (const [why, email] of ACCEPTED) {
        expectOk(await callUntyped(client, "workflow.update", update(email)));
        const stored = await getWorkflow(client, workflow.workflow_id);
        assert.equal(stored.details?.business_application_details?.applying_user?.email, email, why);
      }
    });

    it("a zero-width look-alike cannot slip past DUPLICATE_EMAIL: it is refused as an address", async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      await createApplication(client, account.id, { email: "ann@example.com" });
      const before = await accountRows(server(), account.id);
      const lookAlike = "ann\u200b@example.com";
      expectErrors(
        await callUntyped(client, "workflow.create", applicationBody(account.id, { email: lookAlike })),
        400,
        [refusal(lookAlike)],
      );
      assert.deepEqual(await accountRows(server(), account.id), before);
    });
  });
}

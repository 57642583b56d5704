/** Security properties as tests: no existence oracle, equal hash work, parameterized SQL only. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createAuthenticator } from "../src/auth/authenticate.js";
import { signRequest } from "../src/auth/ksig1.js";
import { createSecretBox, hashToken } from "../src/auth/secret-box.js";
import type { WireError } from "../src/errors.js";
import { databaseKinds } from "./support/databases.js";
import { recordErrorsInText } from "./support/error-record.js";
import { TEST_MASTER_KEY, useTestServer } from "./support/server.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : full.endsWith(".ts") ? [full] : [];
  });
}

describe("SQL is built only with parameters", () => {
  // sql.raw() splices text into SQL unescaped: it may only ever see constants.
  const ALLOWED_RAW_ARGUMENTS = new Set([
    "least",
    "greatest",
    'dialect === "sqlite" ? "begin immediate" : "begin"',
    // Built from checked whole numbers (src/store/sqlite/wal-limit.ts): a pragma takes no parameters.
    "restartTimeoutPragma",
    "usualTimeoutPragma",
  ]);

  it("every sql.raw() call takes a literal or an allow-listed constant", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("src")) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/sql\.raw(?:<[^>]+>)?\(([^)]*)\)/g)) {
        const argument = (match[1] ?? "").trim();
        const literal = /^"[^"$`]*"$/.test(argument);
        if (!literal && !ALLOWED_RAW_ARGUMENTS.has(argument)) offenders.push(`${file}: sql.raw(${argument})`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it("no query text is assembled with string concatenation or template strings", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("src")) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/\b(executeQuery|query|CompiledQuery\.raw)\(\s*`[^`]*\$\{/g)) {
        offenders.push(`${file}: ${match[0]}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});

for (const kind of databaseKinds()) {
  describe(`security [${kind}]`, () => {
    const server = useTestServer(kind);

    it("an ID of another organization answers exactly like an ID that does not exist", async () => {
      const mine = await server().fixture();
      const theirs = await server().fixture();
      const created = await theirs.client.call("workflow.create", {
        account_id: theirs.account.id,
        workflow: {
          type: "BUSINESS_APPLICATION",
          state: "CREATED",
          details: { business_application_details: { applying_user: { email: "secret@example.com" } } },
        },
      });
      assert.ok(created.ok);
      const { workflow_id, subject_record_id } = created.data.workflow;
      const probes: Array<[string, (id: { w: string; sr: string; acct: string }) => unknown]> = [
        ["workflow.get", (id) => ({ workflow_id: id.w })],
        ["workflow.start", (id) => ({ workflow_id: id.w })],
        ["workflow.complete", (id) => ({ workflow_id: id.w })],
        ["workflow.canComplete", (id) => ({ workflow_id: id.w })],
        [
          "workflow.update",
          (id) => ({
            workflow_id: id.w,
            workflow: { details: { business_application_details: { referrer_value: "x" } } },
          }),
        ],
        ["workflow.list", (id) => ({ subject_record_id: id.sr })],
        ["subjectRecord.get", (id) => ({ subject_record_id: id.sr, verbose: true })],
        ["subjectRecord.list", (id) => ({ account_id: id.acct })],
        ["subjectRecord.create", (id) => ({ account_id: id.acct, subject_record: { type: "BUSINESS" } })],
        ["workflow.create", (id) => ({ account_id: id.acct, workflow: { type: "ACCOUNT_PROVISIONING" } })],
        [
          "workflow.create",
          (id) => ({
            account_id: mine.account.id,
            workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: id.sr },
          }),
        ],
      ];
      const real = { w: workflow_id, sr: subject_record_id, acct: theirs.account.id };
      const random = {
        w: "w_7h1EpxerrZQyLnRC1EQ9Ck",
        sr: "sr_4vrv6U1vdpc341MO7cF8pE",
        acct: "sb_4K8mPxR9N2jL7hS5TdWfY1",
      };
      for (const [method, body] of probes) {
        const call = mine.client.call as (m: string, b: unknown) => ReturnType<typeof mine.client.call>;
        const a = await call(method, body(real));
        const b = await call(method, body(random));
        assert.ok(!a.ok && !b.ok, method);
        assert.equal(a.status, b.status, method);
        assert.deepEqual(a.errors, b.errors, method);
        assert.equal((a.errors[0] as WireError).code, "ENTITY_NOT_FOUND", method);
      }
      const after = await theirs.client.call("workflow.get", { workflow_id });
      assert.ok(after.ok);
      assert.equal(after.data.workflow.state, "CREATED", "probes changed nothing");
    });

    it("does the same token-hash work whether the API key exists, is revoked, or the token is wrong", async () => {
      const { credential, organization } = await server().fixture();
      const revoked = await server().operator.createCredential({
        organizationId: organization.id,
        environment: "sandbox",
      });
      await server().operator.revokeCredential(revoked.api_key);
      let hashes = 0;
      const authenticator = createAuthenticator({
        store: server().store,
        secretBox: createSecretBox(TEST_MASTER_KEY),
        clock: server().clock,
        maxClockSkewSeconds: 300,
        hashToken: (token) => {
          hashes += 1;
          return hashToken(token);
        },
      });
      const attempt = async (apiKey: string, authToken: string) => {
        const body = Buffer.from("{}");
        const headers = signRequest(
          { apiKey, secretKey: credential.secret_key, authToken },
          { target: "/workflow.get", body },
        );
        hashes = 0;
        const error = await authenticator
          .authenticate({ method: "POST", target: "/workflow.get", headers, body })
          .then(
            () => undefined,
            (e: unknown) => e as { details?: { sub_code?: string } },
          );
        return { hashes, subCode: error?.details?.sub_code };
      };
      const unknown = await attempt("sb_0000000000000000000000", credential.auth_token);
      // The last character changed, to one it cannot already be (1 token in 64 ends in "x").
      const token = credential.auth_token;
      const wrongToken = await attempt(
        credential.api_key,
        `${token.slice(0, -1)}${token.endsWith("x") ? "y" : "x"}`,
      );
      const revokedKey = await attempt(revoked.api_key, revoked.auth_token);
      for (const outcome of [unknown, wrongToken, revokedKey]) {
        assert.deepEqual(outcome, { hashes: 1, subCode: "INVALID_CREDENTIALS" });
      }
    });

    it("error responses never echo the presented token or the expected signature", async () => {
      const { credential } = await server().fixture();
      const body = Buffer.from("{}");
      const wrongSecret = Buffer.alloc(33, 1).toString("base64");
      const headers = signRequest(
        { apiKey: credential.api_key, secretKey: wrongSecret, authToken: credential.auth_token },
        { target: "/workflow.get", body },
      );
      const response = await fetch(`${server().url}/workflow.get`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      const text = await response.text();
      recordErrorsInText("/workflow.get", text);
      assert.equal(response.status, 401);
      assert.ok(text.includes("SIGNATURE_MISMATCH"));
      assert.ok(!text.includes(credential.auth_token));
      assert.ok(!text.includes(credential.secret_key));
      assert.ok(!text.includes(headers.authorization?.split(" ")[1] ?? "-"));
    });
  });
}

/**
 * docs/signing.md cannot silently go wrong: its worked example is read from the page and every
 * value recomputed with the server's KSig1 module, and its shell and Node snippets are run, as a
 * reader would paste them, against the real server.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import {
  contentDigest,
  decodeSecretKey,
  parseSignedElements,
  sign,
  signRequest,
  stringToSign,
} from "../src/auth/ksig1.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

const GUIDE = fs.readFileSync(new URL("../docs/signing.md", import.meta.url), "utf8");

/** The text between two markers of the page. */
function section(start: string, end?: string): string {
  const from = GUIDE.indexOf(`<!-- ${start} -->`);
  assert.ok(from >= 0, `docs/signing.md has the marker ${start}`);
  const to = end ? GUIDE.indexOf(`<!-- ${end} -->`, from) : GUIDE.length;
  assert.ok(to > from, `docs/signing.md has the marker ${end} after ${start}`);
  return GUIDE.slice(from, to);
}

/** The first fenced code block after a marker. */
function codeAfter(marker: string): string {
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(section(marker))?.[1];
  assert.ok(block !== undefined, `a code block follows ${marker}`);
  return block;
}

/** The worked example's table: label → the value between backticks. */
function exampleValues(): Map<string, string> {
  const rows = section("worked-example:start", "worked-example:string-to-sign")
    .split("\n")
    .map((line) => /^\|\s*(.+?)\s*\|\s*`([^`]+)`\s*\|$/.exec(line))
    .filter((match) => match !== null);
  return new Map(rows.map((match) => [match[1] ?? "", match[2] ?? ""]));
}

function exampleValue(values: Map<string, string>, labelStart: string): string {
  const entry = [...values].find(([label]) => label.startsWith(labelStart));
  assert.ok(entry, `the worked example has a row "${labelStart}…"`);
  return entry[1];
}

describe("docs/signing.md, the worked example", () => {
  const values = exampleValues();
  const apiKey = exampleValue(values, "API key");
  const secretKey = exampleValue(values, "Secret key, as issued");
  const body = Buffer.from(exampleValue(values, "Body"), "utf8");
  const target = exampleValue(values, "Request target");
  const timestamp = exampleValue(values, "Timestamp");
  const nonce = exampleValue(values, "Nonce");
  const elements = parseSignedElements(exampleValue(values, "Signed elements"));
  const input = () => ({
    apiKey,
    method: "POST",
    target,
    timestamp,
    nonce,
    contentHash: contentDigest("Content-SHA256", body),
  });

  it("states the decoded secret key's bytes and the body's length as they are", () => {
    const decoded = decodeSecretKey(secretKey);
    assert.equal(decoded.toString("hex"), exampleValue(values, "Secret key, decoded"));
    const labels = [...values.keys()];
    const statedLength = (start: string) =>
      Number(/\((\d+) bytes/.exec(labels.find((l) => l.startsWith(start)) ?? "")?.[1]);
    assert.equal(statedLength("Secret key, decoded"), decoded.length);
    assert.equal(statedLength("Body"), body.length);
  });

  it("the content hash, string to sign and signature are the ones KSig1 computes", () => {
    assert.ok(elements, "the signed elements are well formed");
    assert.equal(exampleValue(values, "Content hash"), contentDigest("Content-SHA256", body));
    const toSign = stringToSign(elements, input());
    assert.equal(codeAfter("worked-example:string-to-sign"), toSign);
    assert.match(GUIDE, new RegExp(`six lines, ${Buffer.byteLength(toSign)} bytes`));
    assert.equal(exampleValue(values, "Signature"), sign(decodeSecretKey(secretKey), toSign));
  });

  it("the 'wrong' signature is the HMAC keyed with the Base64 text, and differs", () => {
    const toSign = stringToSign(elements ?? [], input());
    const keyedWithText = createHmac("sha256", Buffer.from(secretKey, "utf8"))
      .update(toSign)
      .digest("base64");
    assert.equal(exampleValue(values, "Wrong"), keyedWithText);
    assert.notEqual(keyedWithText, exampleValue(values, "Signature"));
  });

  it("the headers are the ones the signer sends", () => {
    const shown = Object.fromEntries(
      codeAfter("worked-example:headers")
        .split("\n")
        .map((line) => {
          const colon = line.indexOf(": ");
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 2)];
        }),
    );
    const { "content-type": contentType, ...signing } = shown;
    assert.equal(contentType, "application/json");
    const signed = signRequest(
      { apiKey, secretKey, authToken: shown["x-api-auth-token"] ?? "" },
      { target, body, timestamp: Number(timestamp), nonce, elements: elements ?? undefined },
    );
    assert.deepEqual(signing, signed);
  });
});

for (const kind of databaseKinds()) {
  describe(`docs/signing.md, the snippets against a real server [${kind}]`, () => {
    const server = useTestServer(kind);

    async function run(command: string, args: string[]) {
      const fixture = await server().fixture();
      const { stdout } = await promisify(execFile)(command, args, {
        env: {
          PATH: process.env.PATH,
          VETTED_URL: server().url,
          VETTED_API_KEY: fixture.credential.api_key,
          VETTED_SECRET_KEY: fixture.credential.secret_key,
          VETTED_AUTH_TOKEN: fixture.credential.auth_token,
          ACCOUNT_ID: fixture.account.id,
        },
        timeout: 60_000,
      });
      return { stdout, fixture };
    }

    it("the shell snippet (curl and openssl) creates a workflow", async () => {
      const { stdout, fixture } = await run("bash", ["-euo", "pipefail", "-c", codeAfter("snippet:shell")]);
      const answer = JSON.parse(stdout) as {
        meta: { status: string };
        data: { workflow: { account_id: string } };
      };
      assert.equal(answer.meta.status, "SUCCESS", stdout);
      assert.equal(answer.data.workflow.account_id, fixture.account.id);
    });

    it("the Node snippet creates a workflow", async () => {
      const script = path.join(tempDir("vetted-guide-"), "sign.mjs");
      fs.writeFileSync(script, codeAfter("snippet:node"));
      const { stdout, fixture } = await run(process.execPath, [script]);
      const [status, ...rest] = stdout.trim().split(" ");
      assert.equal(status, "200", stdout);
      const answer = JSON.parse(rest.join(" ")) as { data: { workflow: { account_id: string } } };
      assert.equal(answer.data.workflow.account_id, fixture.account.id);
      fs.rmSync(path.dirname(script), { recursive: true, force: true });
    });
  });
}

/**
 * A mainstream third-party generator, openapi-typescript, makes types from openapi.json; a flow
 * written against them with openapi-fetch (test/fixtures/openapi-client/flow.ts) must pass
 * `tsc --noEmit`, and then runs against the real server on each database, signed by a
 * middleware that uses the server's own KSig1 module.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { Middleware } from "openapi-fetch";
import openapiTS, { astToString } from "openapi-typescript";
import type { IssuedCredential } from "../src/admin/operator.js";
import { signRequest } from "../src/auth/ksig1.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

const ROOT = process.cwd();
const FIXTURE = path.join(ROOT, "test/fixtures/openapi-client/flow.ts");

/**
 * The flow, loaded at run time: its types exist only once generated, so the project's own tsc
 * (which excludes test/fixtures/openapi-client) must not follow an import of it.
 */
type RunFlow = (
  baseUrl: string,
  accountId: string,
  sign: Middleware,
) => Promise<{
  workflow: { state: string; account_id: string };
  legalName: string | null;
  fetchedState: string;
  missing: { status: number; code: string; field: string | null | undefined };
}>;

async function loadFlow(): Promise<RunFlow> {
  const module = (await import(pathToFileURL(FIXTURE).href)) as { runFlow: RunFlow };
  return module.runFlow;
}

/** Signs each request as the server's KSig1 module would, over the exact body bytes sent. */
function ksig1Middleware(credential: IssuedCredential): Middleware {
  return {
    async onRequest({ request }) {
      const body = new Uint8Array(await request.clone().arrayBuffer());
      const url = new URL(request.url);
      const headers = signRequest(
        { apiKey: credential.api_key, secretKey: credential.secret_key, authToken: credential.auth_token },
        { method: request.method, target: url.pathname + url.search, body },
      );
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      return request;
    },
  };
}

/** tsc over one file of the temporary directory, with the project's openapi-fetch. */
function typeCheck(dir: string, file: string): { status: number | null; output: string } {
  const config = path.join(dir, `tsconfig.${file}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        noEmit: true,
        lib: ["ES2022", "DOM"],
        types: [],
        // The temporary directory has no node_modules: openapi-fetch comes from the project's.
        paths: { "openapi-fetch": [path.join(ROOT, "node_modules/openapi-fetch")] },
      },
      files: [file],
    }),
  );
  const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", config], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("a client generated from openapi.json", () => {
  let dir = "";
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "vetted-openapi-client-"));
    const ast = await openapiTS(pathToFileURL(path.join(ROOT, "openapi.json")));
    writeFileSync(path.join(dir, "vetted-api.ts"), astToString(ast));
    copyFileSync(FIXTURE, path.join(dir, "flow.ts"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("type-checks a full flow: typed successes, SUCCESS/ERROR literals, error codes as enums", () => {
    const result = typeCheck(dir, "flow.ts");
    assert.equal(result.status, 0, `tsc failed:\n${result.output}`);
  });

  it("refuses the flow without its @ts-expect-error: a code the method never answers is a type error", () => {
    const source = readFileSync(FIXTURE, "utf8");
    const unguarded = source.replace(/^\s*\/\/ @ts-expect-error.*\n/m, "");
    assert.notEqual(unguarded, source, "the fixture has no @ts-expect-error line");
    writeFileSync(path.join(dir, "flow-unguarded.ts"), unguarded);
    const result = typeCheck(dir, "flow-unguarded.ts");
    assert.notEqual(result.status, 0);
    // TS2367: the comparison has no overlap, as "PERMISSION_DENIED" is not in the union.
    assert.match(result.output, /flow-unguarded\.ts.*TS2367/, result.output);
  });
});

for (const kind of databaseKinds()) {
  describe(`the generated client's flow against the server (${kind})`, () => {
    const server = useTestServer(kind);

    it("creates a workflow and its business, reads it back, and reads a typed error", async () => {
      const { account, credential } = await server().fixture();
      const runFlow = await loadFlow();
      const result = await runFlow(server().url, account.id, ksig1Middleware(credential));
      assert.equal(result.workflow.state, "CREATED");
      assert.equal(result.workflow.account_id, account.id);
      assert.equal(result.legalName, "Flow Ltd");
      assert.equal(result.fetchedState, "CREATED");
      assert.deepEqual(result.missing, { status: 400, code: "ENTITY_NOT_FOUND", field: "workflow_id" });
    });
  });
}

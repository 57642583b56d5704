/**
 * The docs page in a real browser (Debian's Chromium through playwright-core): a reader pastes a
 * credential, or takes the demo server's, runs workflow.create through "Try it out", and sees the
 * 200 with the workflow; a wrong secret shows the 401. One browser for the whole file.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { IssuedCredential } from "../src/admin/operator.js";
import { useBrowser } from "./support/browser.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import { startSecondApp, useTestServer } from "./support/server.js";

const browser = useBrowser();
const screenshots = tempDir("vetted-docs-page-");

async function openDocs(url: string): Promise<Page> {
  const page = await browser().newPage();
  await page.goto(`${url}/docs`);
  await page.locator("#vetted-apiKey").waitFor();
  await page.locator('[data-path="/workflow.create"]').waitFor();
  return page;
}

async function pasteCredential(
  page: Page,
  credential: Pick<IssuedCredential, "api_key" | "auth_token">,
  secret: string,
) {
  await page.fill("#vetted-apiKey", credential.api_key);
  await page.fill("#vetted-secretKey", secret);
  await page.fill("#vetted-authToken", credential.auth_token);
}

/** Runs workflow.create through "Try it out"; the status and the response body shown. */
async function tryWorkflowCreate(page: Page, accountId: string): Promise<{ status: string; shown: string }> {
  const operation = page.locator(".opblock", { has: page.locator('[data-path="/workflow.create"]') });
  await operation.locator(".opblock-summary").click();
  await operation.locator(".try-out__btn").click();
  const body = { account_id: accountId, workflow: { type: "ACCOUNT_PROVISIONING" } };
  await operation.locator("textarea.body-param__text").fill(JSON.stringify(body, null, 2));
  await operation.locator("button.execute").click();
  const response = operation.locator(".live-responses-table tbody tr.response").first();
  await response.waitFor();
  return {
    // The cell may add "Undocumented" when the document lists no response for that exact status.
    status:
      /^\s*(\d{3})/.exec((await response.locator(".response-col_status").textContent()) ?? "")?.[1] ?? "",
    shown: (await response.locator(".response-col_description").textContent()) ?? "",
  };
}

for (const kind of databaseKinds()) {
  describe(`the docs page in Chromium [${kind}]`, () => {
    const server = useTestServer(kind);

    it("signs workflow.create with a pasted credential: 200, and the workflow on the page", async (t) => {
      const { credential, account } = await server().fixture();
      const page = await openDocs(server().url);
      assert.equal(
        await page.locator("#vetted-use-demo").isVisible(),
        false,
        "no demo offer on a plain server",
      );
      await pasteCredential(page, credential, credential.secret_key);
      const { status, shown } = await tryWorkflowCreate(page, account.id);
      assert.equal(status, "200", shown);
      const workflowId = /"workflow_id": "(w_[A-Za-z0-9]+)"/.exec(shown)?.[1];
      assert.ok(workflowId, `the page shows the new workflow:\n${shown}`);
      assert.match(shown, new RegExp(`"account_id": "${account.id}"`));
      // The page really created it: the API reads it back.
      const read = await server().clientFor(credential).call("workflow.get", { workflow_id: workflowId });
      assert.ok(read.ok, JSON.stringify(read));
      const file = path.join(screenshots, `docs-page-${kind}.png`);
      await page.locator(".live-responses-table").first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: file });
      t.diagnostic(`screenshot: ${file}`);
      await page.close();
    });

    it("a wrong secret key shows 401 SIGNATURE_MISMATCH", async () => {
      const { credential, account } = await server().fixture();
      const page = await openDocs(server().url);
      // A well-formed 33-byte key, just not this credential's.
      await pasteCredential(page, credential, Buffer.alloc(33, 1).toString("base64"));
      const { status, shown } = await tryWorkflowCreate(page, account.id);
      assert.equal(status, "401", `${status}: ${shown}`);
      assert.match(shown, /"sub_code": "SIGNATURE_MISMATCH"/);
      await page.close();
    });

    it("keeps the credential in memory only, unless asked to keep it in the tab", async () => {
      const { credential } = await server().fixture();
      const page = await openDocs(server().url);
      await pasteCredential(page, credential, credential.secret_key);
      await page.reload();
      await page.locator("#vetted-apiKey").waitFor();
      assert.equal(await page.inputValue("#vetted-apiKey"), "", "forgotten on reload by default");
      await pasteCredential(page, credential, credential.secret_key);
      await page.check("#vetted-remember");
      await page.reload();
      await page.locator("#vetted-apiKey").waitFor();
      assert.equal(await page.inputValue("#vetted-secretKey"), credential.secret_key, "kept in the tab");
      await page.close();
    });

    it("on a demo server, one button takes the demo credential, and workflow.create answers 200", async () => {
      const { credential, account } = await server().fixture();
      const demo = await startSecondApp(server(), {
        docs: {
          demoCredentials: {
            apiKey: credential.api_key,
            secretKey: credential.secret_key,
            authToken: credential.auth_token,
            accountId: account.id,
          },
        },
      });
      try {
        const page = await openDocs(demo.url);
        await page.click("#vetted-use-demo");
        assert.equal(await page.inputValue("#vetted-apiKey"), credential.api_key);
        assert.match((await page.textContent("#vetted-signing-status")) ?? "", new RegExp(account.id));
        const { status, shown } = await tryWorkflowCreate(page, account.id);
        assert.equal(status, "200", shown);
        assert.match(shown, /"workflow_id": "w_/);
        await page.close();
      } finally {
        await demo.stop();
      }
    });
  });
}

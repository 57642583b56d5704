/**
 * The docs page's routes over HTTP: the page script and the signing guide are served with their
 * content types, and the demo credentials are offered only under demo-offer.ts's conditions.
 * The page itself, in a browser: docs-page.browser.test.ts.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { describe, it } from "node:test";
import { pino } from "pino";
import { createSecretBox } from "../src/auth/secret-box.js";
import { buildApp } from "../src/http/app.js";
import { type DemoCredentialsOffer, isLoopbackAddress } from "../src/http/docs-page/demo-offer.js";
import { openStore } from "../src/store/open.js";
import { databaseKinds } from "./support/databases.js";
import { startSecondApp, TEST_CURSOR_KEY, TEST_MASTER_KEY, useTestServer } from "./support/server.js";

const OFFER: DemoCredentialsOffer = {
  apiKey: "sb_demo",
  secretKey: Buffer.alloc(33, 2).toString("base64"),
  authToken: "demo-token",
  accountId: "sb_account",
};

/** A GET with exactly these headers (fetch would put its own Host). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("isLoopbackAddress", () => {
  it("accepts 127.0.0.0/8 and ::1 (also IPv4-mapped), and nothing else", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) {
      assert.equal(isLoopbackAddress(address), true, address);
    }
    for (const address of [
      "0.0.0.0",
      "::",
      "10.0.0.1",
      "::ffff:10.0.0.1",
      "128.0.0.1",
      "localhost",
      undefined,
    ]) {
      assert.equal(isLoopbackAddress(address), false, String(address));
    }
  });
});

for (const kind of databaseKinds()) {
  describe(`the docs page's routes [${kind}]`, () => {
    const server = useTestServer(kind);

    it("serves the page script as JavaScript, and the page loads it", async () => {
      const html = await (await fetch(`${server().url}/docs/`)).text();
      const loader = /src="([^"]*vetted-loader\.js)"/.exec(html)?.[1];
      assert.ok(loader, "the page includes the loader");
      const loaderText = await (await fetch(new URL(loader, `${server().url}/docs/`))).text();
      assert.match(loaderText, /"\/docs\/vetted-try-it-signing\.js"/);
      const script = await fetch(`${server().url}/docs/vetted-try-it-signing.js`);
      assert.equal(script.status, 200);
      assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
      const text = await script.text();
      // A classic script: bundled, with no module import left for the browser to resolve.
      assert.doesNotMatch(text, /^import\b|\bfrom\s*"@vetted/m);
      assert.match(text, /vettedDocs/);
      // The initializer hands Swagger UI the interceptor that calls it.
      const initializer = await (await fetch(`${server().url}/docs/static/swagger-initializer.js`)).text();
      assert.match(initializer, /"requestInterceptor":function \(request\) \{ return window\.vettedDocs/);
    });

    it("serves the signing guide as a page, with its worked example and a strict CSP", async () => {
      const response = await fetch(`${server().url}/docs/signing`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
      assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'/);
      const html = await response.text();
      assert.match(html, /<h1[^>]*>Signing requests/);
      assert.match(html, /pZgbnMQ\/iQn\/2GId88qL\+\+EuyhYJVqeWZVkCiyz7HfA=/);
      const docs = await (await fetch(`${server().url}/docs/`)).text();
      assert.ok(docs.includes("/static/theme/vetted-docs.css"), "the docs page has the panel's style");
    });

    it("keeps Swagger UI's CSP, but without upgrading plain-HTTP requests to HTTPS", async () => {
      const policy = (await fetch(`${server().url}/docs/`)).headers.get("content-security-policy") ?? "";
      assert.match(policy, /default-src 'self'/);
      assert.match(policy, /script-src 'self'/);
      assert.match(policy, /object-src 'none'/);
      // Upgrading would break the page and its calls on a server reached over http:// by a LAN address.
      assert.doesNotMatch(policy, /upgrade-insecure-requests/);
    });

    it("lists this server first among the document's servers", async () => {
      const document = (await (await fetch(`${server().url}/docs/json`)).json()) as {
        servers: { url: string }[];
      };
      assert.equal(document.servers[0]?.url, "/");
    });

    it("offers no demo credentials unless the server runs as `vetted demo`", async () => {
      const response = await fetch(`${server().url}/docs/demo-credentials`);
      assert.equal(response.status, 204);
      assert.equal(await response.text(), "");
      assert.equal(response.headers.get("cache-control"), "no-store");
    });

    it("a demo server on loopback offers them to this machine's browser, not through a proxy or a rebound name", async () => {
      const demo = await startSecondApp(server(), { docs: { demoCredentials: OFFER } });
      try {
        const port = new URL(demo.url).port;
        const ask = (headers: Record<string, string> = {}) =>
          get(`${demo.url}/docs/demo-credentials`, headers);
        const offered = await fetch(`${demo.url}/docs/demo-credentials`);
        assert.equal(offered.status, 200);
        assert.equal(offered.headers.get("cache-control"), "no-store");
        assert.deepEqual(await offered.json(), OFFER);
        assert.equal((await ask({ host: `localhost:${port}` })).status, 200);
        assert.equal((await ask({ host: `[::1]:${port}` })).status, 200);
        const refusals: Record<string, string>[] = [
          { host: `attacker.example:${port}` },
          { host: "attacker.example" },
          { host: `127.0.0.1:${port}`, "x-forwarded-for": "203.0.113.7" },
          { host: `127.0.0.1:${port}`, forwarded: "for=203.0.113.7" },
        ];
        for (const headers of refusals) {
          assert.deepEqual(await ask(headers), { status: 204, body: "" }, JSON.stringify(headers));
        }
      } finally {
        await demo.stop();
      }
    });

    it("a demo server listening beyond loopback offers nothing", async () => {
      const store = openStore(server().database.target);
      const app = await buildApp({
        config: {
          bodyLimit: 1_048_576,
          maxClockSkewSeconds: 300,
          metrics: false,
          docs: { demoCredentials: OFFER },
        },
        store,
        logger: pino({ level: "silent" }),
        clock: server().clock,
        secretBox: createSecretBox(TEST_MASTER_KEY),
        cursorKey: TEST_CURSOR_KEY,
      });
      try {
        await app.listen({ port: 0, host: "0.0.0.0" });
        const address = app.server.address();
        assert.ok(address && typeof address === "object");
        // Asked from this very machine, over loopback, with a loopback Host: still no offer.
        const response = await fetch(`http://127.0.0.1:${address.port}/docs/demo-credentials`);
        assert.equal(response.status, 204);
      } finally {
        await app.close();
        await store.close();
      }
    });
  });
}

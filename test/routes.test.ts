/** The unauthenticated GET routes outside the method namespace. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

for (const kind of databaseKinds()) {
  describe(`GET routes [${kind}]`, () => {
    const server = useTestServer(kind);

    it("/healthz and /readyz answer 200 while the database is reachable", async () => {
      for (const path of ["/healthz", "/readyz"]) {
        const response = await fetch(`${server().url}${path}`);
        assert.equal(response.status, 200, path);
        assert.deepEqual(await response.json(), { status: "ok" });
      }
    });

    it("/docs is self-contained: every asset it references is served by Vetted itself", async () => {
      const page = await fetch(`${server().url}/docs/`);
      assert.equal(page.status, 200);
      const html = await page.text();
      const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
      assert.ok(references.length >= 3, "the page loads its scripts and styles");
      for (const reference of references) {
        assert.ok(!/^(https?:)?\/\//.test(reference), `${reference} would be loaded from elsewhere`);
        const asset = await fetch(new URL(reference, `${server().url}/docs/`));
        assert.equal(asset.status, 200, reference);
        // An unread body keeps its connection busy, and closing the app would wait for it (72 s).
        await asset.arrayBuffer();
      }
      const initializer = await (await fetch(`${server().url}/docs/static/swagger-initializer.js`)).text();
      // A quoted remote URL would be something the page loads; one in a comment is not.
      assert.ok(!/["'`]https?:\/\//.test(initializer), "no remote URL in the initializer");
    });

    it("/openapi.json lists every method and /metrics counts requests by method", async () => {
      const document = (await (await fetch(`${server().url}/openapi.json`)).json()) as { paths: object };
      assert.ok("/workflow.create" in document.paths);
      await fetch(`${server().url}/meta.checkVersion`, { method: "POST" });
      const metrics = await (await fetch(`${server().url}/metrics`)).text();
      assert.match(metrics, /vetted_requests_total\{method="meta.checkVersion",code="200"\} [1-9]/);
    });
  });
}

for (const kind of databaseKinds()) {
  describe(`GET /metrics turned off [${kind}]`, () => {
    const server = useTestServer(kind, { config: { metrics: false } });

    it("answers 404 Not Found, as a scraper expects of a route that is not there", async () => {
      for (const method of ["GET", "HEAD"]) {
        const response = await fetch(`${server().url}/metrics`, { method });
        assert.equal(response.status, 404, method);
        assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
        assert.match(response.headers.get("x-trace-id") ?? "", /^trc_/);
        if (method === "GET") assert.equal(await response.text(), "Not Found: metrics are turned off\n");
      }
    });

    it("paths that are not methods still answer BAD_REQUEST in the envelope", async () => {
      for (const [method, path] of [
        ["GET", "/"],
        ["POST", "/nope.nope"],
        ["POST", "/metrics"],
      ] as const) {
        const response = await fetch(`${server().url}${path}`, { method });
        assert.equal(response.status, 400, `${method} ${path}`);
        const body = (await response.json()) as { errors: { code: string }[] };
        assert.equal(body.errors[0]?.code, "BAD_REQUEST");
      }
    });
  });
}

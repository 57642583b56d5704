/**
 * The docs page at /docs: Swagger UI over the generated OpenAPI document, with a credentials panel
 * and a request interceptor that signs every "Try it out" call in the browser (browser/), the
 * signing guide at /docs/signing, and the demo credentials at /docs/demo-credentials when
 * `vetted demo` offers them (demo-offer.ts). Why Swagger UI and not a page of our own:
 * docs/decisions.md, "Docs page".
 */
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { tryItSigningScript } from "./bundle.js";
import { type DemoCredentialsOffer, sendDemoCredentials } from "./demo-offer.js";
import { DEMO_CREDENTIALS_PATH, DOCS_PREFIX, SCRIPT_FILENAME, SIGNING_GUIDE_PATH } from "./paths.js";
import { SIGNING_GUIDE_CSP, signingGuideHtml } from "./signing-guide.js";
import { DOCS_STYLESHEET } from "./style.js";

export interface DocsPageOptions {
  /** Set by `vetted demo` only; offered to the page under the conditions of demo-offer.ts. */
  demoCredentials?: DemoCredentialsOffer;
}

const SCRIPT_PATH = `${DOCS_PREFIX}/${SCRIPT_FILENAME}`;
const STYLESHEET_PATH = `${DOCS_PREFIX}/static/theme/vetted-docs.css`;

/**
 * Swagger UI's initializer writes `uiConfig` functions into the page as their source text, so the
 * interceptor's browser source is given as text: a compiled function's text could carry helpers
 * of the server's build (tsx's `__name`) that the page does not have. The page script may still be
 * loading on the first call; then the request goes out unsigned, as it would without credentials.
 */
const requestInterceptor = Object.assign(<T>(request: T) => request, {
  toString: () =>
    "function (request) { return window.vettedDocs ? window.vettedDocs.signTryItOut(request) : request; }",
});

/** Theme scripts are fixed at registration; this one loads the page script, bundled on demand. */
const SCRIPT_LOADER = `document.head.append(Object.assign(document.createElement("script"), { src: ${JSON.stringify(SCRIPT_PATH)} }));`;

interface OpenApiDocument {
  servers?: { url: string; description?: string }[];
}

/** "Try it out" calls the server that serves the page first; the document's servers stay choosable. */
function thisServerFirst(document: Record<string, unknown>): Record<string, unknown> {
  const others = ((document as OpenApiDocument).servers ?? []).filter((server) => server.url !== "/");
  return { ...document, servers: [{ url: "/", description: "This server" }, ...others] };
}

/**
 * The plugin's CSP asks the browser to upgrade every http:// request to https://, which breaks the
 * whole page (and every "Try it out" call) of a server reached over plain HTTP by any address but
 * loopback — a container, a machine on the LAN. Every asset is 'self', so on HTTPS it changes
 * nothing; the rest of the policy stays.
 */
function withoutUpgradeInsecureRequests(header: string): string {
  return header.replace(/\s*upgrade-insecure-requests;?/, "").trim();
}

export async function registerDocsPage(app: FastifyInstance, options: DocsPageOptions = {}): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // BaseLayout: no top bar, whose "Explore" box would load some other document into this page.
    uiConfig: { validatorUrl: null, requestInterceptor, layout: "BaseLayout" },
    theme: {
      title: "Vetted API",
      css: [{ filename: "vetted-docs.css", content: DOCS_STYLESHEET }],
      js: [{ filename: "vetted-loader.js", content: SCRIPT_LOADER }],
    },
    transformSpecification: thisServerFirst,
    staticCSP: true,
    transformStaticCSP: withoutUpgradeInsecureRequests,
  });

  const hidden = { schema: { hide: true } };
  app.get(SCRIPT_PATH, hidden, async (_request, reply) => {
    reply.type("text/javascript; charset=utf-8").header("cache-control", "no-cache");
    return tryItSigningScript();
  });
  app.get(SIGNING_GUIDE_PATH, hidden, async (_request, reply) => {
    reply.type("text/html; charset=utf-8").header("content-security-policy", SIGNING_GUIDE_CSP);
    return signingGuideHtml(STYLESHEET_PATH);
  });
  app.get(DEMO_CREDENTIALS_PATH, hidden, async (request, reply) =>
    sendDemoCredentials(request, reply, options.demoCredentials),
  );
}

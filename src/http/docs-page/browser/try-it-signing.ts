/**
 * Runs in the browser, on the docs page (bundled by ../bundle.ts): a credentials panel above
 * Swagger UI, and the request interceptor that signs every "Try it out" call with KSig1 through
 * Web Crypto — the SDK's own module, so the page signs exactly as clients do. The secret key stays
 * in this page: only the signature and the other KSig1 headers go out, and only to this origin.
 */
import { type Credentials, signRequest } from "@vetted/client/ksig1";
import { DEMO_CREDENTIALS_PATH, SIGNING_GUIDE_PATH } from "../paths.js";

/** What swagger-client hands a request interceptor (the fields this file touches). */
interface SwaggerRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** The demo server's offer (docs-page/demo-offer.ts). */
interface DemoOffer extends Credentials {
  accountId: string;
}

const STORAGE_KEY = "vetted-docs-credentials";
const FIELDS = [
  ["apiKey", "API key", "sb_…", "text"],
  ["secretKey", "Secret key (Base64, as issued)", "", "password"],
  ["authToken", "Auth token", "", "password"],
] as const;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function buildPanel() {
  const inputs = Object.fromEntries(
    FIELDS.map(([name, , placeholder, type]) => [
      name,
      element("input", { id: `vetted-${name}`, type, placeholder, autocomplete: "off", spellcheck: false }),
    ]),
  ) as Record<keyof Credentials, HTMLInputElement>;
  const remember = element("input", { id: "vetted-remember", type: "checkbox" });
  const demoButton = element("button", { id: "vetted-use-demo", type: "button", hidden: true }, [
    "Use the demo credentials",
  ]);
  const status = element("p", { id: "vetted-signing-status", className: "vetted-status" });
  // A form, so browsers treat the secret fields as credentials; it is never submitted.
  const panel = element("form", { id: "vetted-signing", className: "vetted-signing" }, [
    element("h2", {}, ["Sign the requests of “Try it out”"]),
    element("p", {}, [
      "Every method needs a KSig1-HMAC-SHA256 signature. Paste a credential: this page signs each call in your browser ",
      "(Web Crypto) and sends only the signed headers to this server — never the secret key. ",
      element("a", { href: SIGNING_GUIDE_PATH }, ["How signing works, step by step"]),
      ".",
    ]),
    element(
      "div",
      { className: "vetted-fields" },
      FIELDS.map(([name, label]) => element("label", { htmlFor: `vetted-${name}` }, [label, inputs[name]])),
    ),
    element("div", { className: "vetted-actions" }, [
      element("label", { className: "vetted-remember" }, [
        remember,
        "Keep them in this tab (sessionStorage)",
      ]),
      demoButton,
    ]),
    status,
  ]);
  return { panel, inputs, remember, demoButton, status };
}

const ui = buildPanel();
ui.panel.addEventListener("submit", (event) => event.preventDefault());
document.body.prepend(ui.panel);

function currentCredentials(): Credentials | undefined {
  const credentials = {
    apiKey: ui.inputs.apiKey.value.trim(),
    secretKey: ui.inputs.secretKey.value.trim(),
    authToken: ui.inputs.authToken.value.trim(),
  };
  return credentials.apiKey && credentials.secretKey && credentials.authToken ? credentials : undefined;
}

/**
 * Browsers give Web Crypto only to secure contexts: HTTPS, or http://localhost and 127.0.0.1. On
 * plain HTTP by any other address the page cannot sign, and says how to open it instead.
 */
const canSign = globalThis.isSecureContext && crypto.subtle !== undefined;

function showStatus(extra = "") {
  const credentials = currentCredentials();
  if (!canSign) {
    ui.status.textContent =
      "This browser withholds Web Crypto from this page (plain HTTP beyond localhost), so it cannot sign: open the docs over HTTPS, or through localhost (e.g. an SSH tunnel).";
    return;
  }
  ui.status.textContent = credentials
    ? `Signing as ${credentials.apiKey}.${extra}`
    : "No credential yet: requests go out unsigned and answer 401.";
}

function fill(credentials: Credentials) {
  for (const [name] of FIELDS) ui.inputs[name].value = credentials[name];
}

// Memory only by default; sessionStorage (this tab, until it closes) when the reader asks for it.
function saveIfAsked() {
  const credentials = currentCredentials();
  if (ui.remember.checked && credentials) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  else sessionStorage.removeItem(STORAGE_KEY);
}

for (const input of [...Object.values(ui.inputs), ui.remember]) {
  input.addEventListener("input", () => {
    saveIfAsked();
    showStatus();
  });
}

const saved = sessionStorage.getItem(STORAGE_KEY);
if (saved) {
  fill(JSON.parse(saved) as Credentials);
  ui.remember.checked = true;
}
showStatus();

// Offered only by `vetted demo` on a loopback address (docs/decisions.md, "Docs page"); 204 (no
// offer), or no answer at all, leaves the button hidden.
fetch(DEMO_CREDENTIALS_PATH, { cache: "no-store" })
  .then(async (response) => {
    if (response.status !== 200) return;
    const offer = (await response.json()) as DemoOffer;
    ui.demoButton.hidden = false;
    ui.demoButton.addEventListener("click", () => {
      fill(offer);
      saveIfAsked();
      showStatus(` Demo account: ${offer.accountId} (use it as account_id).`);
    });
  })
  .catch(() => undefined);

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  // A file upload (FormData, Blob) is not a JSON method call: it is left as Swagger UI built it.
  if (body instanceof FormData || body instanceof Blob) return undefined;
  return JSON.stringify(body);
}

/**
 * Swagger UI awaits a request interceptor that returns a Promise, so the signature covers the
 * exact body string that fetch then sends (as UTF-8, the bytes the content hash is over).
 */
async function signTryItOut(request: SwaggerRequest): Promise<SwaggerRequest> {
  const url = new URL(request.url, location.href);
  const credentials = currentCredentials();
  // GET is the page loading the OpenAPI document; other origins never see this credential.
  if (!canSign || !credentials || request.method.toUpperCase() !== "POST" || url.origin !== location.origin) {
    return request;
  }
  const body = bodyText(request.body);
  if (body === undefined) return request;
  const headers = await signRequest(credentials, {
    method: "POST",
    target: url.pathname + url.search,
    body: new TextEncoder().encode(body),
  });
  for (const name of Object.keys(request.headers)) {
    if (name.toLowerCase() in headers) delete request.headers[name];
  }
  request.body = body;
  Object.assign(request.headers, headers);
  return request;
}

declare global {
  interface Window {
    vettedDocs: { signTryItOut(request: SwaggerRequest): Promise<SwaggerRequest> };
  }
}
window.vettedDocs = { signTryItOut };

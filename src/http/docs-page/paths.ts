/** Where the docs page's own routes live; shared by the server and the page's script. */
export const DOCS_PREFIX = "/docs";
/** The signing guide (docs/signing.md), rendered. */
export const SIGNING_GUIDE_PATH = `${DOCS_PREFIX}/signing`;
/** The demo credentials, offered to the page only by `vetted demo` on a loopback address. */
export const DEMO_CREDENTIALS_PATH = `${DOCS_PREFIX}/demo-credentials`;
/** The bundled page script (browser/try-it-signing.ts), served as a Swagger UI theme file. */
export const SCRIPT_FILENAME = "vetted-try-it-signing.js";

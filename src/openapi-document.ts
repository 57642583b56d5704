/**
 * The OpenAPI document, built from the real app (so from the method declarations), without a
 * database or a port. `npm run openapi` writes it to openapi.json; a test fails when that is stale.
 */
import { pino } from "pino";
import { createSecretBox } from "./auth/secret-box.js";
import { systemClock } from "./domain/clock.js";
import { buildApp } from "./http/app.js";
import { openSqliteStore } from "./store/sqlite/sqlite-store.js";

export async function openApiDocument(): Promise<unknown> {
  const store = openSqliteStore({ path: ":memory:" });
  const app = await buildApp({
    config: { bodyLimit: 1_048_576, maxClockSkewSeconds: 300, metrics: false },
    store,
    logger: pino({ level: "silent" }),
    clock: systemClock,
    secretBox: createSecretBox(Buffer.alloc(32)),
    cursorKey: Buffer.alloc(32),
  });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await store.close();
  }
}

export function renderOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

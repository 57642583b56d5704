/**
 * For the methods that take `show_sensitive_data` (data.md §2.6): the refusal they answer, and the
 * credentials that get it — a read-only one and one issued with `--no-unmask` — beside a fixture
 * whose credential may unmask.
 */
import type { VettedClient } from "@vetted/client";
import type { WireError } from "../../src/errors.js";
import type { Fixture, TestServer } from "./server.js";

/** Step 2 of data.md §2.1, exactly as the wire carries it. */
export const UNMASK_DENIED: WireError = {
  code: "PERMISSION_DENIED",
  message: "This credential may not unmask sensitive data; send show_sensitive_data false or leave it out",
  field: "show_sensitive_data",
};

export interface UnmaskFixture extends Fixture {
  /** Read-only: may never unmask. */
  reader: VettedClient;
  /** Writes, but was issued with --no-unmask. */
  masked: VettedClient;
}

export async function withMaskedCredentials(server: TestServer): Promise<UnmaskFixture> {
  const fixture = await server.fixture();
  const scope = { organizationId: fixture.organization.id, environment: "sandbox" as const };
  const [reader, masked] = await Promise.all([
    server.operator.createCredential({ ...scope, readOnly: true }),
    server.operator.createCredential({ ...scope, canUnmask: false }),
  ]);
  return { ...fixture, reader: server.clientFor(reader), masked: server.clientFor(masked) };
}

/** The SENSITIVE_DATA_ACCESSED events of an account, as their payloads, oldest first. */
export async function auditPayloads(server: TestServer, accountId: string) {
  const events = await server.store.listEvents({ accountId });
  return events.filter((e) => e.event_type === "SENSITIVE_DATA_ACCESSED").map((e) => e.payload);
}

/**
 * The credentials a method's authorization tests need: a read-only one, and the three ways an
 * account can be out of a credential's sight (another organization; outside the credential's
 * account list; the other environment), each with a client that can put things in that account.
 */
import type { VettedClient } from "@vetted/client";
import type { Fixture, TestServer } from "./server.js";

export interface OutOfSight {
  /** Says which way the account is out of sight, for assertion messages and test names. */
  name: string;
  /** The credential that must not see the account. */
  viewer: VettedClient;
  /** A credential that sees and may write to the account. */
  owner: VettedClient;
  accountId: string;
}

/** One account per way of being out of sight, each with the client that must not see it. */
export async function outOfSight(server: TestServer): Promise<OutOfSight[]> {
  const fixture = await server.fixture();
  const { operator } = server;
  const organizationId = fixture.organization.id;
  const stranger = await server.fixture();
  const listed = await operator.createAccount({ organizationId, environment: "sandbox" });
  const limited = server.clientFor(
    await operator.createCredential({ organizationId, environment: "sandbox", accountIds: [listed.id] }),
  );
  const live = await operator.createAccount({ organizationId, environment: "live" });
  const liveOwner = server.clientFor(
    await operator.createCredential({ organizationId, environment: "live" }),
  );
  return [
    {
      name: "another organization's",
      viewer: stranger.client,
      owner: fixture.client,
      accountId: fixture.account.id,
    },
    {
      name: "outside the credential's list",
      viewer: limited,
      owner: fixture.client,
      accountId: fixture.account.id,
    },
    {
      name: "a live account, to a sandbox credential",
      viewer: fixture.client,
      owner: liveOwner,
      accountId: live.id,
    },
  ];
}

/** A fixture, and a read-only credential over the same accounts. */
export async function withReader(server: TestServer): Promise<Fixture & { reader: VettedClient }> {
  const fixture = await server.fixture();
  const credential = await server.operator.createCredential({
    organizationId: fixture.organization.id,
    environment: "sandbox",
    readOnly: true,
  });
  return { ...fixture, reader: server.clientFor(credential) };
}

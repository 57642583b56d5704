/**
 * `vetted admin deliveries list|resend` as a real process on a real database. The delivery rows
 * are written directly (the fan-out that writes them in production is tested with it): list shows
 * each delivery with its event type, URL, status, attempts, next attempt and last error; resend
 * makes a finished delivery PENDING and due now with its lease cleared and its attempts kept.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../src/domain/ids.js";
import { assertOneLineFailure, runCli, useCliDatabase } from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";
import { executeSql, queryRows } from "./support/sql.js";

interface DeliveryJson {
  delivery: string;
  event_type: string;
  url: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
}

for (const kind of databaseKinds()) {
  describe(`vetted admin deliveries [${kind}]`, { concurrency: 3 }, () => {
    const cli = useCliDatabase(kind);

    /** An account with one endpoint and one delivery in each status. */
    async function outbox() {
      const org = await cli().operator.createOrganization("Outbox");
      const account = await cli().operator.createAccount({ organizationId: org.id, environment: "sandbox" });
      const configId = `whc_${newId("event").slice(3)}`;
      const url = "https://hooks.example.com/vetted";
      const t0 = "2026-12-01T10:00:00.000Z";
      // Created a minute ago: a delivery older than 7 days may not be resent.
      const recent = Date.now() - 60_000;
      const statuses = [
        ["SUCCEEDED", 1, null, null],
        ["FAILED", 96, "HTTP 500", null],
        ["PENDING", 2, "connection refused", "worker-1"],
      ] as const;
      const eventIds = statuses.map(() => newId("event"));
      await executeSql(cli().database, [
        [
          "insert into webhook_configs (id, account_id, url, created_at, updated_at) values ($1, $2, $3, $4, $5)",
          [configId, account.id, url, t0, t0],
        ],
        ...statuses.flatMap(([status, attempts, error, lease], i): [string, unknown[]][] => [
          [
            `insert into events (id, event_type, account_id, subject_record_id, actor_type, actor_id, created_at, payload)
             values ($1, $2, $3, $4, 'API_KEY', 'ops', $5, null)`,
            [eventIds[i], i === 0 ? "BUSINESS_CREATED" : "WORKFLOW_STARTED", account.id, "sr_1", t0],
          ],
          [
            `insert into webhook_deliveries (event_id, config_id, account_id, status, attempt_count, next_attempt_at,
               lease_owner, lease_until, last_error, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [
              eventIds[i],
              configId,
              account.id,
              status,
              attempts,
              t0,
              lease,
              lease ? t0 : null,
              error,
              new Date(recent + i * 1000).toISOString(),
              t0,
            ],
          ],
        ]),
      ]);
      const ids = eventIds.map((eventId) => `${eventId}:${configId}`);
      return { account, url, ids, t0 };
    }

    it("list shows every delivery of the account, oldest first, and filters by status", async () => {
      const { account, url, ids, t0 } = await outbox();
      const all = await cli().admin<{ deliveries: DeliveryJson[] }>(
        "deliveries",
        "list",
        "--account",
        account.id,
      );
      assert.deepEqual(all.deliveries, [
        {
          delivery: ids[0],
          event_type: "BUSINESS_CREATED",
          url,
          status: "SUCCEEDED",
          attempts: 1,
          next_attempt_at: null,
          last_error: null,
        },
        {
          delivery: ids[1],
          event_type: "WORKFLOW_STARTED",
          url,
          status: "FAILED",
          attempts: 96,
          next_attempt_at: null,
          last_error: "HTTP 500",
        },
        {
          delivery: ids[2],
          event_type: "WORKFLOW_STARTED",
          url,
          status: "PENDING",
          attempts: 2,
          next_attempt_at: t0,
          last_error: "connection refused",
        },
      ]);
      const failed = await cli().admin<{ deliveries: DeliveryJson[] }>(
        ...["deliveries", "list", "--account", account.id, "--status", "FAILED"],
      );
      assert.deepEqual(
        failed.deliveries.map((d) => d.delivery),
        [ids[1]],
      );
    });

    it("resend makes a FAILED delivery PENDING and due now, its lease cleared and its attempts kept", async () => {
      const { ids } = await outbox();
      const before = Date.now();
      const resent = await cli().admin<DeliveryJson>("deliveries", "resend", "--delivery", ids[1] ?? "");
      assert.equal(resent.status, "PENDING");
      assert.equal(resent.attempts, 96);
      assert.ok(Date.parse(resent.next_attempt_at ?? "") >= before - 1000);
      const [eventId, configId] = (ids[1] ?? "").split(":");
      const [row] = await queryRows<{
        status: string;
        attempt_count: number;
        lease_owner: string | null;
        lease_until: string | null;
      }>(
        cli().database,
        "select status, attempt_count, lease_owner, lease_until from webhook_deliveries where event_id = $1 and config_id = $2",
        [eventId, configId],
      );
      assert.deepEqual(
        { ...row },
        { status: "PENDING", attempt_count: 96, lease_owner: null, lease_until: null },
      );
    });

    it("resend refuses an unknown delivery (exit 1), a PENDING one (exit 1) and a malformed ID (exit 2), in one line", async () => {
      const { ids } = await outbox();
      const base = [
        "admin",
        "deliveries",
        "resend",
        "--database",
        cli().database.url,
        "--data-dir",
        cli().dataDir,
      ];
      const unknown = await runCli([...base, "--delivery", `${newId("event")}:whc_nothere`], cli().env);
      assertOneLineFailure(unknown, 1, /^vetted: delivery wh_\w+:whc_nothere does not exist\n$/);
      const pending = await runCli([...base, "--delivery", ids[2] ?? ""], cli().env);
      assertOneLineFailure(pending, 1, /is PENDING already/);
      const malformed = await runCli([...base, "--delivery", "wh_1"], cli().env);
      assertOneLineFailure(malformed, 2, /--delivery must be <event_id>:<config_id>/);
      const badStatus = await runCli(
        [
          "admin",
          "deliveries",
          "list",
          "--account",
          "sb_x",
          "--status",
          "DONE",
          "--database",
          cli().database.url,
          "--data-dir",
          cli().dataDir,
        ],
        cli().env,
      );
      assertOneLineFailure(badStatus, 2, /--status must be one of PENDING, SUCCEEDED, FAILED/);
    });
  });
}

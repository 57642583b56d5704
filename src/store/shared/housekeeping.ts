/**
 * Idempotency records, rate-limit buckets and purges, written once for both dialects. Every
 * decision that must hold across processes is one conditional statement, so the database
 * arbitrates between simultaneous requests.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect, StoreHousekeeping } from "../store.js";
import type { Database } from "./schema.js";

export function createHousekeeping(db: Kysely<Database>, dialect: Dialect): StoreHousekeeping {
  const least = dialect === "postgres" ? "least" : "min";
  const greatest = dialect === "postgres" ? "greatest" : "max";
  const real = (value: number) => sql`cast(${value} as double precision)`;

  return {
    async claimIdempotencyKey(request) {
      const claim = {
        method: request.method,
        body_hash: request.bodyHash,
        state: "in_flight",
        response_status: null,
        response_body: null,
        created_at: request.now,
        // A claim taken over after 24 h carries nothing of the expired request's result.
        result: null,
        trace_id: null,
      };
      const inserted = await db
        .insertInto("idempotency_keys")
        .values({ api_key: request.apiKey, idempotency_key: request.key, ...claim })
        .onConflict((oc) => oc.columns(["api_key", "idempotency_key"]).doNothing())
        .returning("created_at")
        .executeTakeFirst();
      if (inserted) return { outcome: "claimed", createdAt: request.now };

      const row = await db
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("api_key", "=", request.apiKey)
        .where("idempotency_key", "=", request.key)
        .executeTakeFirst();
      if (!row) return { outcome: "in_use" }; // purged between the two statements: let the client retry
      const expired = row.created_at < request.expiredBefore;
      // Only a claim whose unit of work never committed may be abandoned: a committed one is answered.
      const abandoned = row.state === "in_flight" && row.created_at < request.abandonedBefore;
      if (expired || abandoned) {
        // Take over with compare-and-set on created_at: of two simultaneous takers one wins.
        const taken = await db
          .updateTable("idempotency_keys")
          .set(claim)
          .where("api_key", "=", request.apiKey)
          .where("idempotency_key", "=", request.key)
          .where("created_at", "=", row.created_at)
          .executeTakeFirst();
        return Number(taken.numUpdatedRows) === 1
          ? { outcome: "claimed", createdAt: request.now }
          : { outcome: "in_use" };
      }
      if (row.method !== request.method || row.body_hash !== request.bodyHash) return { outcome: "reused" };
      if (row.state === "committed" && row.result !== null && row.trace_id !== null) {
        return { outcome: "committed", createdAt: row.created_at, result: row.result, traceId: row.trace_id };
      }
      if (row.state !== "done" || row.response_status === null || row.response_body === null) {
        return { outcome: "in_use" };
      }
      return { outcome: "replay", status: row.response_status, body: row.response_body };
    },

    async finishIdempotencyKey(apiKey, key, createdAt, response) {
      const mine = db
        .updateTable("idempotency_keys")
        .where("api_key", "=", apiKey)
        .where("idempotency_key", "=", key)
        .where("created_at", "=", createdAt);
      if (response) {
        await mine
          .set({ state: "done", response_status: response.status, response_body: response.body })
          .execute();
      } else {
        await db
          .deleteFrom("idempotency_keys")
          .where("api_key", "=", apiKey)
          .where("idempotency_key", "=", key)
          .where("created_at", "=", createdAt)
          .where("state", "=", "in_flight")
          .execute();
      }
    },

    async commitIdempotencyKey(claim, result) {
      await db
        .updateTable("idempotency_keys")
        .set({ state: "committed", result, trace_id: claim.traceId })
        .where("api_key", "=", claim.apiKey)
        .where("idempotency_key", "=", claim.key)
        .where("created_at", "=", claim.createdAt)
        .execute();
    },

    async takeRateToken(apiKey, nowMs, ratePerSecond, burst) {
      const refill = sql`${sql.raw(least)}(${real(burst)}, rate_buckets.tokens + ${sql.raw(greatest)}(0, ${real(nowMs)} - rate_buckets.refilled_ms) * ${real(ratePerSecond)} / 1000.0)`;
      const result = await sql<{ tokens: number; allowed: number }>`
        insert into rate_buckets (api_key, tokens, refilled_ms, allowed)
        values (${apiKey}, ${real(burst - 1)}, ${real(nowMs)}, 1)
        on conflict (api_key) do update set
          tokens = case when ${refill} >= 1 then ${refill} - 1 else ${refill} end,
          refilled_ms = ${sql.raw(greatest)}(rate_buckets.refilled_ms, ${real(nowMs)}),
          allowed = case when ${refill} >= 1 then 1 else 0 end
        returning tokens, allowed`.execute(db);
      const row = result.rows[0];
      if (!row) throw new Error("rate bucket upsert returned no row");
      const allowed = Number(row.allowed) === 1;
      const retryAfterSeconds = allowed
        ? 0
        : Math.max(1, Math.ceil((1 - Number(row.tokens)) / ratePerSecond));
      return { allowed, retryAfterSeconds };
    },

    async purgeExpired(noncesSeenBefore, idempotencyCreatedBefore, limit) {
      // Bounded batches keep each delete short, so purging never holds requests up for long.
      const nonces = await db
        .deleteFrom("nonces")
        .where(({ eb, selectFrom }) =>
          eb(
            eb.refTuple("api_key", "nonce"),
            "in",
            selectFrom("nonces")
              .select(["api_key", "nonce"])
              .where("seen_at", "<", noncesSeenBefore)
              .limit(limit)
              .$asTuple("api_key", "nonce"),
          ),
        )
        .executeTakeFirst();
      const keys = await db
        .deleteFrom("idempotency_keys")
        .where(({ eb, selectFrom }) =>
          eb(
            eb.refTuple("api_key", "idempotency_key"),
            "in",
            selectFrom("idempotency_keys")
              .select(["api_key", "idempotency_key"])
              .where("created_at", "<", idempotencyCreatedBefore)
              .limit(limit)
              .$asTuple("api_key", "idempotency_key"),
          ),
        )
        .executeTakeFirst();
      return Number(nonces.numDeletedRows) + Number(keys.numDeletedRows);
    },
  };
}

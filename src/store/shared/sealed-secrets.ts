/**
 * The sealed secrets of the database and the master key check, for both dialects: what a process
 * opens at start to learn whether its master key is the one the database's secrets were sealed
 * under, and what `vetted admin master-key rotate` re-seals.
 */
import { type Kysely, sql } from "kysely";
import type {
  SealedSecret,
  StoreSealedSecretReads,
  StoreSealedSecrets,
  StoreSealedSecretWrites,
} from "../store.js";
import type { Database } from "./schema.js";

/**
 * Every column holding values sealed under the master key, with the columns of the same row bound
 * into each seal, joined by "/" (a webhook key's ID repeats across accounts, so its seal is bound
 * to "<account_id>/<key_id>"; no ID holds a "/"). A new kind of secret joins rotation here.
 */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: "credentials", column: "secret_key_sealed", boundTo: ["api_key"] },
  { table: "webhook_keys", column: "secret_sealed", boundTo: ["account_id", "key_id"] },
];

interface SealedColumn {
  table: keyof Database;
  column: string;
  boundTo: readonly [string, ...string[]];
}

const nameOf = (c: SealedColumn) => `${c.table}.${c.column}`;

/** The row's binding as one SQL value: its columns joined by "/". */
function bindingOf(c: SealedColumn) {
  return sql.join(
    c.boundTo.map((column) => sql.ref(column)),
    sql` || '/' || `,
  );
}

/** Matches the row a binding names, column by column. */
function bindingMatches(c: SealedColumn, boundTo: string) {
  const parts = boundTo.split("/");
  if (parts.length !== c.boundTo.length) throw new Error(`not a binding of ${nameOf(c)}: ${boundTo}`);
  return sql.join(
    c.boundTo.map((column, i) => sql`${sql.ref(column)} = ${parts[i]}`),
    sql` and `,
  );
}

/** The row of master_key_check. */
const CHECK_ID = 1;

export function createSealedSecrets(db: Kysely<Database>): StoreSealedSecrets {
  return { ...createSealedSecretReads(db), ...createSealedSecretWrites(db) };
}

export function createSealedSecretReads(db: Kysely<Database>): StoreSealedSecretReads {
  async function sealedIn(c: SealedColumn, limit?: number): Promise<SealedSecret[]> {
    const rows = await sql<{ bound_to: string; sealed: string }>`
      select ${bindingOf(c)} as bound_to, ${sql.ref(c.column)} as sealed
      from ${sql.table(c.table)} order by ${sql.join(c.boundTo.map((column) => sql.ref(column)))}
      ${limit === undefined ? sql`` : sql`limit ${limit}`}`.execute(db);
    return rows.rows.map((r) => ({ column: nameOf(c), boundTo: r.bound_to, sealed: r.sealed }));
  }

  return {
    async getMasterKeyCheck() {
      const row = await db
        .selectFrom("master_key_check")
        .select("sealed")
        .where("id", "=", CHECK_ID)
        .executeTakeFirst();
      return row?.sealed;
    },
    async firstSealedSecret() {
      for (const c of SEALED_COLUMNS) {
        const [first] = await sealedIn(c, 1);
        if (first) return first;
      }
      return undefined;
    },
    async listSealedSecrets() {
      const all: SealedSecret[] = [];
      for (const c of SEALED_COLUMNS) all.push(...(await sealedIn(c)));
      return all;
    },
  };
}

export function createSealedSecretWrites(db: Kysely<Database>): StoreSealedSecretWrites {
  return {
    async putMasterKeyCheck(sealed, at) {
      await db
        .insertInto("master_key_check")
        .values({ id: CHECK_ID, sealed, created_at: at })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
      const row = await db
        .selectFrom("master_key_check")
        .select("sealed")
        .where("id", "=", CHECK_ID)
        .executeTakeFirstOrThrow();
      return row.sealed;
    },
    async replaceMasterKeyCheck(sealed, at) {
      // An update first: on PostgreSQL it locks the row until the rotation commits (see store.ts).
      const updated = await db
        .updateTable("master_key_check")
        .set({ sealed })
        .where("id", "=", CHECK_ID)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await db.insertInto("master_key_check").values({ id: CHECK_ID, sealed, created_at: at }).execute();
    },
    async holdMasterKeyCheck(keyId) {
      // A no-op update, not a read: it takes the row lock on PostgreSQL (SQLite's single writer
      // already serializes), and after waiting on a rotation it re-reads the row it matches.
      const held = await db
        .updateTable("master_key_check")
        .set((eb) => ({ sealed: eb.ref("sealed") }))
        .where("id", "=", CHECK_ID)
        .where("sealed", "like", `v2:${keyId}:%`)
        .executeTakeFirst();
      if (Number(held.numUpdatedRows) === 1) return true;
      const row = await db.selectFrom("master_key_check").select("id").executeTakeFirst();
      return row === undefined;
    },
    async replaceSealedSecret(secret, sealed) {
      const c = SEALED_COLUMNS.find((candidate) => nameOf(candidate) === secret.column);
      if (!c) throw new Error(`not a sealed column: ${secret.column}`);
      const result = await sql`
        update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${sealed}
        where ${bindingMatches(c, secret.boundTo)} and ${sql.ref(c.column)} = ${secret.sealed}`.execute(db);
      return Number(result.numAffectedRows ?? 0) === 1;
    },
  };
}

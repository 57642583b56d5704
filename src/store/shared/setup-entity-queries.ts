/**
 * The operator's listings of what an organization is set up with: organizations, pricing models
 * and equipment collections (`vetted admin … list`). Oldest first, ties by ID, so a listing reads
 * the same on SQLite and PostgreSQL. No paging: these tables hold a few rows per account.
 */
import type { Kysely } from "kysely";
import type { NamedAccountEntity, Organization } from "../../domain/records.js";
import type { Database } from "./schema.js";

export interface SetupEntityReads {
  listOrganizations(): Promise<Organization[]>;
  /** Every account's, or one account's. */
  listPricingModels(accountId?: string): Promise<NamedAccountEntity[]>;
  listEquipmentCollections(accountId?: string): Promise<NamedAccountEntity[]>;
}

export function createSetupEntityReads(db: Kysely<Database>): SetupEntityReads {
  const listNamed = async (table: "pricing_models" | "equipment_collections", accountId?: string) => {
    let query = db.selectFrom(table).selectAll().orderBy("created_at").orderBy("id");
    if (accountId !== undefined) query = query.where("account_id", "=", accountId);
    return query.execute();
  };
  return {
    async listOrganizations() {
      return db.selectFrom("organizations").selectAll().orderBy("created_at").orderBy("id").execute();
    },
    listPricingModels: (accountId) => listNamed("pricing_models", accountId),
    listEquipmentCollections: (accountId) => listNamed("equipment_collections", accountId),
  };
}

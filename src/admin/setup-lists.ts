/**
 * `vetted admin org|pricing-model|equipment-collection list`: what the operator has set up, with
 * the IDs named as the create commands print them. An unknown account is an error, not an empty
 * list, as for `account list --org`: a mistyped ID must not look like "none".
 */
import type { Store } from "../store/store.js";
import { OperatorError } from "./operator.js";

export function createSetupListOperations(deps: { store: Store }) {
  const { store } = deps;
  async function requireAccount(id: string) {
    if (!(await store.getAccount(id))) throw new OperatorError(`account ${id} does not exist`, "not_found");
  }
  return {
    async listOrganizations() {
      return (await store.listOrganizations()).map((o) => ({
        organization_id: o.id,
        name: o.name,
        created_at: o.created_at,
      }));
    },

    async listPricingModels(accountId?: string) {
      if (accountId !== undefined) await requireAccount(accountId);
      return (await store.listPricingModels(accountId)).map((m) => ({
        pricing_model_id: m.id,
        account_id: m.account_id,
        name: m.name,
        created_at: m.created_at,
      }));
    },

    async listEquipmentCollections(accountId?: string) {
      if (accountId !== undefined) await requireAccount(accountId);
      return (await store.listEquipmentCollections(accountId)).map((c) => ({
        equipment_collection_id: c.id,
        account_id: c.account_id,
        name: c.name,
        created_at: c.created_at,
      }));
    },
  };
}

/**
 * `vetted admin pricing-model create|list` and `vetted admin equipment-collection create|list`:
 * the account setup entities (src/admin/operator.ts creates them, src/admin/setup-lists.ts lists).
 */
import type { Command } from "commander";
import type { Operator } from "../admin/operator.js";
import { nameValue } from "./flag-values.js";
import type { TableSpec } from "./table.js";

type Action = <O extends object>(
  command: Command,
  run: (operator: Operator, options: O) => Promise<Record<string, unknown>>,
  table?: TableSpec,
) => (options: O) => Promise<void>;

const NAME_HELP = "1–100 characters, at least one not a space";

const NAMED_ENTITY_COLUMNS = (idColumn: string) => [idColumn, "account_id", "name", "created_at"];

export function registerSetupEntityCommands(
  admin: Command,
  leaf: (parent: Command, name: string, description: string) => Command,
  action: Action,
): void {
  const pricingModel = admin.command("pricing-model").description("pricing models");
  const pmCreate = leaf(pricingModel, "create", "create a pricing model")
    .requiredOption("--account <account_id>")
    .requiredOption("--name <name>", NAME_HELP, nameValue);
  pmCreate.action(
    action(pmCreate, (op, o: { account: string; name: string }) => op.createPricingModel(o.account, o.name)),
  );

  const pmList = leaf(pricingModel, "list", "list pricing models, oldest first").option(
    "--account <account_id>",
    "one account's (default: every account's)",
  );
  pmList.action(
    action(
      pmList,
      async (op, o: { account?: string }) => ({ pricing_models: await op.listPricingModels(o.account) }),
      { key: "pricing_models", columns: NAMED_ENTITY_COLUMNS("pricing_model_id"), plural: "pricing models" },
    ),
  );

  const equipment = admin.command("equipment-collection").description("equipment collections");
  const ecCreate = leaf(equipment, "create", "create an equipment collection")
    .requiredOption("--account <account_id>")
    .requiredOption("--name <name>", NAME_HELP, nameValue);
  ecCreate.action(
    action(ecCreate, (op, o: { account: string; name: string }) =>
      op.createEquipmentCollection(o.account, o.name),
    ),
  );

  const ecList = leaf(equipment, "list", "list equipment collections, oldest first").option(
    "--account <account_id>",
    "one account's (default: every account's)",
  );
  ecList.action(
    action(
      ecList,
      async (op, o: { account?: string }) => ({
        equipment_collections: await op.listEquipmentCollections(o.account),
      }),
      {
        key: "equipment_collections",
        columns: NAMED_ENTITY_COLUMNS("equipment_collection_id"),
        plural: "equipment collections",
      },
    ),
  );
}

/** Schemas and checks shared by workflow.create and workflow.update. */

import { Email, EquipmentCollectionId, PricingModelId, Text } from "./schema.js";

export const detailFields = {
  email: Email,
  first_name: Text(100, "First name of the applying user"),
  last_name: Text(100, "Last name of the applying user"),
  pricing_model_id: PricingModelId,
  equipment_collection_id: EquipmentCollectionId,
  referrer_value: Text(100, "How the application was referred (marketplace, website, sales person)"),
};

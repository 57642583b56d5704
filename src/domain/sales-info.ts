/** business.salesInfo.create and business.salesInfo.update as write procedures (data.md §5.5). */
import { salesInfoAlreadyExists } from "./data-errors.js";
import type { SalesInfo, SalesInfoFields } from "./data-records.js";
import { type DataWriteContext, entityForDataWrite } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { entityEvent } from "./events.js";
import { visibleBusiness, visibleSalesInfo } from "./lookups.js";
import { applyUpdate, type UpdateWrapper } from "./updates.js";

/** Checks 1 → 3 → 6 → 9: one sales info per business. The new sales info's record is the business's. */
export async function createSalesInfo(
  tx: DomainStore,
  input: DataWriteContext & { info: Omit<SalesInfo, "subject_record_id"> },
): Promise<SalesInfo> {
  const { entity: business, record } = await entityForDataWrite(tx, () =>
    visibleBusiness(tx, input.scope, input.info.business_id, "business_id"),
  );
  if (business.sales_info_id !== null) throw salesInfoAlreadyExists();
  const info: SalesInfo = { ...input.info, subject_record_id: record.id };
  await tx.insertSalesInfo(info);
  const subject = { entity_type: "Sales Info" as const, entity_id: info.id };
  await tx.insertEvent(entityEvent("SALES_INFO_CREATED", record, subject, input.actor, input.now));
  return info;
}

/** Checks 1 → 3 → 6; an absent or empty wrapper changes nothing and writes no event. */
export async function updateSalesInfo(
  tx: DomainStore,
  input: DataWriteContext & { salesInfoId: string; info: UpdateWrapper<SalesInfoFields> | undefined },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleSalesInfo(tx, input.scope, input.salesInfoId, "sales_info_id"),
  );
  const change = applyUpdate(entity, input.info, input.now);
  if (!change) return;
  await tx.updateSalesInfo(change.updated);
  const subject = { entity_type: "Sales Info" as const, entity_id: entity.id, fields: change.fields };
  await tx.insertEvent(entityEvent("SALES_INFO_UPDATED", record, subject, input.actor, input.now));
}

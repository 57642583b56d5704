/** person.issuedIdentifier.create and …update as write procedures (data.md §6.1). */
import { accountDataSettings, allowedIssuedIdentifierTypes } from "./account-settings.js";
import { duplicatedIssuedIdentifier, invalidIssuedIdentifierType } from "./data-errors.js";
import type { IssuedIdentifier, IssuedIdentifierFields } from "./data-records.js";
import { type DataWriteContext, entityForDataWrite } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { entityEvent } from "./events.js";
import { visibleIssuedIdentifier, visiblePerson } from "./lookups.js";
import type { SubjectRecord } from "./records.js";
import { applyUpdate, type UpdateWrapper } from "./updates.js";

/** Step 9's first rule: the type is one of the account's PERSON_ISSUED_IDENTIFIER_TYPES, extras included. */
async function assertAllowedType(tx: DomainStore, record: SubjectRecord, type: string): Promise<void> {
  const settings = await accountDataSettings(tx, record.account_id);
  if (!allowedIssuedIdentifierTypes(settings).includes(type)) throw invalidIssuedIdentifierType();
}

/**
 * Checks 1 → 3 → 6 → 9: INVALID_ISSUED_IDENTIFIER_TYPE, then DUPLICATED_ISSUED_IDENTIFIER (also
 * the rule index's answer to a simultaneous create of the same type).
 */
export async function createIssuedIdentifier(
  tx: DomainStore,
  input: DataWriteContext & { identifier: Omit<IssuedIdentifier, "subject_record_id"> },
): Promise<IssuedIdentifier> {
  const { entity: person, record } = await entityForDataWrite(tx, () =>
    visiblePerson(tx, input.scope, input.identifier.person_id, "person_id"),
  );
  await assertAllowedType(tx, record, input.identifier.type);
  if (await tx.issuedIdentifierOfType(person.id, input.identifier.type)) throw duplicatedIssuedIdentifier();
  const identifier: IssuedIdentifier = { ...input.identifier, subject_record_id: record.id };
  await tx.insertIssuedIdentifier(identifier);
  const subject = { entity_type: "Issued Identifier" as const, entity_id: identifier.id };
  await tx.insertEvent(entityEvent("ISSUED_IDENTIFIER_CREATED", record, subject, input.actor, input.now));
  return identifier;
}

/**
 * Checks 1 → 3 → 6 → 9: when `type` is given, INVALID_ISSUED_IDENTIFIER_TYPE, then
 * DUPLICATED_ISSUED_IDENTIFIER when another identifier of the person has it.
 */
export async function updateIssuedIdentifier(
  tx: DomainStore,
  input: DataWriteContext & {
    issuedIdentifierId: string;
    identifier: UpdateWrapper<IssuedIdentifierFields> | undefined;
  },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleIssuedIdentifier(tx, input.scope, input.issuedIdentifierId, "issued_identifier_id"),
  );
  const type = input.identifier?.type;
  if (typeof type === "string") {
    await assertAllowedType(tx, record, type);
    const holder = await tx.issuedIdentifierOfType(entity.person_id, type);
    if (holder && holder.id !== entity.id) throw duplicatedIssuedIdentifier();
  }
  const change = applyUpdate(entity, input.identifier, input.now);
  if (!change) return;
  await tx.updateIssuedIdentifier(change.updated);
  const subject = { entity_type: "Issued Identifier" as const, entity_id: entity.id, fields: change.fields };
  await tx.insertEvent(entityEvent("ISSUED_IDENTIFIER_UPDATED", record, subject, input.actor, input.now));
}

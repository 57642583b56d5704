/**
 * bankAccount.create / update / delete (data.md §7) and the business's bank-account associations,
 * business.addBankAccount / updateBankAccount / removeBankAccount (§5.3), as write procedures.
 */
import { badRequest, entityLinked } from "../errors.js";
import { accountDataSettings, allowedBankAccountPurposes } from "./account-settings.js";
import {
  crossSubjectRecordReference,
  duplicateBankAccountAssociation,
  maxBusinessBankAccountLimit,
  maxSubjectRecordBankAccountLimit,
  singlePrimaryBankAccount,
} from "./data-errors.js";
import type { BankAccount, BankAccountFields, BusinessBankAccount } from "./data-records.js";
import type { BankAccountLinks } from "./data-store.js";
import { type DataWriteContext, entityForDataWrite, subjectRecordForDataWrite } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { entityEvent } from "./events.js";
import {
  visibleBankAccount,
  visibleBusiness,
  visibleBusinessBankAccount,
  visibleSubjectRecord,
} from "./lookups.js";
import { applyUpdate, type UpdateWrapper } from "./updates.js";
import type { VisibilityScope } from "./visibility.js";

/** Checks 1 → 3 → 6 → 10: at most the account's `max_bank_accounts_per_subject_record`. */
export async function createBankAccount(
  tx: DomainStore,
  input: DataWriteContext & { bankAccount: BankAccount },
): Promise<BankAccount> {
  const { bankAccount } = input;
  const record = await subjectRecordForDataWrite(
    tx,
    input.scope,
    bankAccount.subject_record_id,
    "subject_record_id",
  );
  // Under the record's lock, so simultaneous creates are counted one after the other.
  const settings = await accountDataSettings(tx, record.account_id);
  if ((await tx.countBankAccounts(record.id)) >= settings.max_bank_accounts_per_subject_record)
    throw maxSubjectRecordBankAccountLimit();
  await tx.insertBankAccount(bankAccount);
  const subject = { entity_type: "Bank Account" as const, entity_id: bankAccount.id };
  await tx.insertEvent(entityEvent("BANK_ACCOUNT_CREATED", record, subject, input.actor, input.now));
  return bankAccount;
}

/** Checks 1 → 3 → 6; an absent or empty wrapper changes nothing and writes no event. */
export async function updateBankAccount(
  tx: DomainStore,
  input: DataWriteContext & {
    bankAccountId: string;
    bankAccount: UpdateWrapper<BankAccountFields> | undefined;
  },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleBankAccount(tx, input.scope, input.bankAccountId, "bank_account_id"),
  );
  const change = applyUpdate(entity, input.bankAccount, input.now);
  if (!change) return;
  await tx.updateBankAccount(change.updated);
  const subject = { entity_type: "Bank Account" as const, entity_id: entity.id, fields: change.fields };
  await tx.insertEvent(entityEvent("BANK_ACCOUNT_UPDATED", record, subject, input.actor, input.now));
}

/** Checks 1 → 3 → 6 → 8: refused while the bank account is linked to a business (or a location). */
export async function deleteBankAccount(
  tx: DomainStore,
  input: DataWriteContext & { bankAccountId: string },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleBankAccount(tx, input.scope, input.bankAccountId, "bank_account_id"),
  );
  const removers = bankAccountLinkRemovers(await tx.bankAccountLinks(entity.id));
  if (removers.length > 0)
    throw entityLinked(
      "Bank Account",
      "The bank account is still linked to a business or a location",
      removers,
    );
  await tx.deleteBankAccount(entity.id);
  const subject = { entity_type: "Bank Account" as const, entity_id: entity.id };
  await tx.insertEvent(entityEvent("BANK_ACCOUNT_DELETED", record, subject, input.actor, input.now));
}

/** The methods that remove the kinds of link present, in data.md §3.5's order. */
function bankAccountLinkRemovers(links: BankAccountLinks): string[] {
  const removers: string[] = [];
  if (links.businesses) removers.push("business.removeBankAccount");
  if (links.locations) removers.push("location.removeBankAccount");
  return removers;
}

/**
 * Step 4: each purpose in the account's BANK_ACCOUNT_PURPOSES (built in, then the account's own).
 * The first one outside it is BAD_REQUEST on its item.
 */
async function checkPurposes(
  tx: DomainStore,
  accountId: string,
  purposes: readonly string[],
  path: string,
): Promise<void> {
  if (purposes.length === 0) return;
  const allowed = allowedBankAccountPurposes(await accountDataSettings(tx, accountId));
  const index = purposes.findIndex((purpose) => !allowed.includes(purpose));
  if (index >= 0)
    throw badRequest(`${path}[${index}] must be one of ${allowed.join(", ")}`, `${path}[${index}]`);
}

/**
 * Step 9 against the business's other associations (not `exceptId`): the same bank account may not
 * carry a purpose twice (no purposes counting as the purpose "none"), and the business may have one
 * PRIMARY. The rule indexes back both for simultaneous writes.
 */
function checkAssociationRules(
  others: readonly BusinessBankAccount[],
  association: Pick<BusinessBankAccount, "bank_account_id" | "bank_account_purposes">,
): void {
  const purposesOf = (a: Pick<BusinessBankAccount, "bank_account_purposes">) =>
    a.bank_account_purposes.length > 0 ? a.bank_account_purposes : [""];
  const mine = purposesOf(association);
  const sameAccount = others.filter((other) => other.bank_account_id === association.bank_account_id);
  if (sameAccount.some((other) => purposesOf(other).some((purpose) => mine.includes(purpose))))
    throw duplicateBankAccountAssociation();
  if (mine.includes("PRIMARY") && others.some((other) => other.bank_account_purposes.includes("PRIMARY")))
    throw singlePrimaryBankAccount();
}

const PURPOSES_PATH = "business_bank_account.bank_account_purposes";

/**
 * Checks 1 → 3 (`business_id`, then `bank_account_id`) → 4 → 6 → 7 → 9
 * DUPLICATE_BANK_ACCOUNT_ASSOCIATION, SINGLE_PRIMARY_BANK_ACCOUNT → 10 MAX_BANK_ACCOUNT_LIMIT.
 */
export async function addBusinessBankAccount(
  tx: DomainStore,
  input: DataWriteContext & { association: BusinessBankAccount },
): Promise<BusinessBankAccount> {
  const { association } = input;
  // Steps 3 and 4, before the lock and again under it (entityForDataWrite): a bank account deleted
  // meanwhile is ENTITY_NOT_FOUND on its field.
  const find = () => linkedPair(tx, input.scope, association);
  const { entity, record } = await entityForDataWrite(tx, find);
  if (entity.bankAccount.subject_record_id !== record.id) throw crossSubjectRecordReference();
  const others = await tx.listBusinessBankAccounts(association.business_id);
  checkAssociationRules(others, association);
  const settings = await accountDataSettings(tx, record.account_id);
  if (others.length >= settings.max_bank_accounts_per_business) throw maxBusinessBankAccountLimit();
  await tx.insertBusinessBankAccount(association);
  await tx.insertEvent(
    entityEvent(
      "BUSINESS_BANK_ACCOUNT_ADDED",
      record,
      associationSubject(association),
      input.actor,
      input.now,
    ),
  );
  return association;
}

/** The business and the bank account an add names (step 3, in request order), purposes judged (step 4). */
async function linkedPair(
  tx: DomainStore,
  scope: VisibilityScope,
  association: BusinessBankAccount,
): Promise<{ subject_record_id: string; bankAccount: BankAccount }> {
  const business = await visibleBusiness(tx, scope, association.business_id, "business_id");
  const bankAccount = await visibleBankAccount(
    tx,
    scope,
    association.bank_account_id,
    "business_bank_account.bank_account_id",
  );
  const record = await visibleSubjectRecord(tx, scope, business.subject_record_id, "business_id");
  await checkPurposes(tx, record.account_id, association.bank_account_purposes, PURPOSES_PATH);
  return { subject_record_id: business.subject_record_id, bankAccount };
}

/**
 * Checks 1 → 3 → 4 → 6 → 9, judged against the business's other associations. Only
 * `bank_account_purposes` may change; an absent or empty wrapper changes nothing and writes no event.
 */
export async function updateBusinessBankAccount(
  tx: DomainStore,
  input: DataWriteContext & {
    associationId: string;
    association: { bank_account_purposes?: string[] | null } | undefined;
  },
): Promise<void> {
  const find = async () => {
    const found = await visibleBusinessBankAccount(
      tx,
      input.scope,
      input.associationId,
      "business_bank_account_id",
    );
    const purposes = input.association?.bank_account_purposes;
    if (purposes) {
      const record = await visibleSubjectRecord(
        tx,
        input.scope,
        found.subject_record_id,
        "business_bank_account_id",
      );
      await checkPurposes(tx, record.account_id, purposes, PURPOSES_PATH);
    }
    return found;
  };
  const { entity, record } = await entityForDataWrite(tx, find);
  const { subject_record_id: _, ...stored } = entity;
  const change = applyUpdate(stored, input.association, input.now);
  if (!change) return;
  const others = (await tx.listBusinessBankAccounts(entity.business_id)).filter((a) => a.id !== entity.id);
  checkAssociationRules(others, change.updated);
  await tx.updateBusinessBankAccount(change.updated);
  const subject = { ...associationSubject(entity), fields: change.fields };
  await tx.insertEvent(entityEvent("BUSINESS_BANK_ACCOUNT_UPDATED", record, subject, input.actor, input.now));
}

/** Checks 1 → 3 → 6. Removing the PRIMARY association is allowed (completion then misses it). */
export async function removeBusinessBankAccount(
  tx: DomainStore,
  input: DataWriteContext & { associationId: string },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleBusinessBankAccount(tx, input.scope, input.associationId, "business_bank_account_id"),
  );
  await tx.deleteBusinessBankAccount(entity.id);
  await tx.insertEvent(
    entityEvent("BUSINESS_BANK_ACCOUNT_REMOVED", record, associationSubject(entity), input.actor, input.now),
  );
}

/** What an association event names: the association and the two IDs it links (data.md §13). */
function associationSubject(
  association: Pick<BusinessBankAccount, "id" | "business_id" | "bank_account_id">,
) {
  return {
    entity_type: "Business Bank Account" as const,
    entity_id: association.id,
    linked_entity_ids: [association.business_id, association.bank_account_id],
  };
}

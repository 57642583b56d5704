/** Every API method. Adding a method: write its file, then list it here. */

import type { Static } from "@sinclair/typebox";
import { accountDocumentTypeList } from "./account.documentType.list.js";
import { bankAccountCreate } from "./bankAccount.create.js";
import { bankAccountDelete } from "./bankAccount.delete.js";
import { bankAccountGet } from "./bankAccount.get.js";
import { bankAccountList } from "./bankAccount.list.js";
import { bankAccountUpdate } from "./bankAccount.update.js";
import { businessAddBankAccount } from "./business.addBankAccount.js";
import { businessAddLocation } from "./business.addLocation.js";
import { businessAddOwner } from "./business.addOwner.js";
import { businessCreate } from "./business.create.js";
import { businessDelete } from "./business.delete.js";
import { businessGet } from "./business.get.js";
import { businessGetLocation } from "./business.getLocation.js";
import { businessGetOwner } from "./business.getOwner.js";
import { businessListBankAccounts } from "./business.listBankAccounts.js";
import { businessListLocations } from "./business.listLocations.js";
import { businessListOwners } from "./business.listOwners.js";
import { businessRemoveBankAccount } from "./business.removeBankAccount.js";
import { businessRemoveLocation } from "./business.removeLocation.js";
import { businessRemoveOwner } from "./business.removeOwner.js";
import { businessSalesInfoCreate } from "./business.salesInfo.create.js";
import { businessSalesInfoGet } from "./business.salesInfo.get.js";
import { businessSalesInfoUpdate } from "./business.salesInfo.update.js";
import { businessUpdate } from "./business.update.js";
import { businessUpdateBankAccount } from "./business.updateBankAccount.js";
import { businessUpdateOwner } from "./business.updateOwner.js";
import type { MethodDefinition } from "./define.js";
import { documentCreate } from "./document.create.js";
import { documentGet } from "./document.get.js";
import { documentGetDownload } from "./document.getDownload.js";
import { documentList } from "./document.list.js";
import { locationAddBankAccount } from "./location.addBankAccount.js";
import { locationCreate } from "./location.create.js";
import { locationDelete } from "./location.delete.js";
import { locationGet } from "./location.get.js";
import { locationList } from "./location.list.js";
import { locationRemoveBankAccount } from "./location.removeBankAccount.js";
import { locationUpdate } from "./location.update.js";
import { metaCheckVersion } from "./meta.checkVersion.js";
import { metadataCreate } from "./metadata.create.js";
import { metadataGet } from "./metadata.get.js";
import { metadataLinksAdd } from "./metadata.links.add.js";
import { metadataList } from "./metadata.list.js";
import { metadataTypeDefine } from "./metadata.type.define.js";
import { personCreate } from "./person.create.js";
import { personDelete } from "./person.delete.js";
import { personGet } from "./person.get.js";
import { personIssuedIdentifierCreate } from "./person.issuedIdentifier.create.js";
import { personIssuedIdentifierGet } from "./person.issuedIdentifier.get.js";
import { personIssuedIdentifierList } from "./person.issuedIdentifier.list.js";
import { personIssuedIdentifierUpdate } from "./person.issuedIdentifier.update.js";
import { personList } from "./person.list.js";
import { personUpdate } from "./person.update.js";
import { subjectRecordCreate } from "./subjectRecord.create.js";
import { subjectRecordDelete } from "./subjectRecord.delete.js";
import { subjectRecordGet } from "./subjectRecord.get.js";
import { subjectRecordList } from "./subjectRecord.list.js";
import { webhookConfigCreate } from "./webhook.config.create.js";
import { webhookConfigDelete } from "./webhook.config.delete.js";
import { webhookConfigList } from "./webhook.config.list.js";
import { webhookConfigUpdate } from "./webhook.config.update.js";
import { webhookKeyActivate } from "./webhook.key.activate.js";
import { webhookKeyCreate } from "./webhook.key.create.js";
import { webhookKeyGet } from "./webhook.key.get.js";
import { workflowCanComplete } from "./workflow.canComplete.js";
import { workflowComplete } from "./workflow.complete.js";
import { workflowCreate } from "./workflow.create.js";
import { workflowDelete } from "./workflow.delete.js";
import { workflowGet } from "./workflow.get.js";
import { workflowList } from "./workflow.list.js";
import { workflowStart } from "./workflow.start.js";
import { workflowUpdate } from "./workflow.update.js";

const DECLARED = [
  metaCheckVersion,
  // The account document-type catalogue (data.md §11).
  accountDocumentTypeList,
  subjectRecordCreate,
  subjectRecordGet,
  subjectRecordList,
  subjectRecordDelete,
  workflowCreate,
  workflowGet,
  workflowList,
  workflowUpdate,
  workflowStart,
  workflowCanComplete,
  workflowComplete,
  workflowDelete,
  // Subject-record data (data.md).
  businessCreate,
  businessGet,
  businessUpdate,
  businessDelete,
  businessSalesInfoCreate,
  businessSalesInfoGet,
  businessSalesInfoUpdate,
  // Bank accounts and the business's bank-account associations (data.md §5.3, §7).
  bankAccountCreate,
  bankAccountGet,
  bankAccountList,
  bankAccountUpdate,
  bankAccountDelete,
  businessAddBankAccount,
  businessUpdateBankAccount,
  businessListBankAccounts,
  businessRemoveBankAccount,
  personCreate,
  personGet,
  personList,
  personUpdate,
  personDelete,
  personIssuedIdentifierCreate,
  personIssuedIdentifierGet,
  personIssuedIdentifierList,
  personIssuedIdentifierUpdate,
  businessAddOwner,
  businessGetOwner,
  businessListOwners,
  businessUpdateOwner,
  businessRemoveOwner,
  // Locations and their associations (data.md §5.4, §8).
  businessAddLocation,
  businessGetLocation,
  businessListLocations,
  businessRemoveLocation,
  locationCreate,
  locationGet,
  locationList,
  locationUpdate,
  locationDelete,
  locationAddBankAccount,
  locationRemoveBankAccount,
  // Metadata (data.md §9).
  metadataTypeDefine,
  metadataCreate,
  metadataGet,
  metadataList,
  metadataLinksAdd,
  // Documents (data.md §10).
  documentCreate,
  documentGet,
  documentList,
  documentGetDownload,
  // Webhook keys and endpoints (webhooks.md).
  webhookKeyCreate,
  webhookKeyActivate,
  webhookKeyGet,
  webhookConfigCreate,
  webhookConfigList,
  webhookConfigUpdate,
  webhookConfigDelete,
] as const;

type Declared = (typeof DECLARED)[number];
export type MethodName = Declared["name"];
type ByName<N extends MethodName> = Extract<Declared, { name: N }>;
export type RequestOf<N extends MethodName> = Static<ByName<N>["request"]>;
export type ResponseOf<N extends MethodName> = Static<ByName<N>["response"]>;

// Widened for the router: each handler is only ever called with a body its own schema validated.
export const METHODS = DECLARED as unknown as readonly MethodDefinition[];

/**
 * Every write the API makes, by name. A write method's handler names one of these and its input;
 * the HTTP layer runs it as the request's unit of work (store.ts `Store.write`), and the store may
 * run it anywhere — on SQLite's writer thread it runs whole, as one message — because a name and
 * plain data cross threads where a closure cannot. Adding a write is one procedure here.
 */
import {
  addBusinessBankAccount,
  createBankAccount,
  deleteBankAccount,
  removeBusinessBankAccount,
  updateBankAccount,
  updateBusinessBankAccount,
} from "./bank-accounts.js";
import { createBusiness, deleteBusiness, updateBusiness } from "./business.js";
import { addBusinessOwner, removeBusinessOwner, updateBusinessOwner } from "./business-owners.js";
import { createWorkflow } from "./create-workflow.js";
import { completeDocumentUpload, createDocument } from "./documents.js";
import type { DomainStore } from "./domain-store.js";
import { createIssuedIdentifier, updateIssuedIdentifier } from "./issued-identifiers.js";
import {
  addBusinessLocation,
  addLocationBankAccount,
  createLocation,
  deleteLocation,
  removeBusinessLocation,
  removeLocationBankAccount,
  updateLocation,
} from "./locations.js";
import { addMetadataLinks, createMetadata, defineMetadataType } from "./metadata.js";
import { createPerson, deletePerson, updatePerson } from "./person.js";
import { createSalesInfo, updateSalesInfo } from "./sales-info.js";
import { auditSensitiveRead } from "./sensitive-data.js";
import { createSubjectRecord, deleteSubjectRecord } from "./subject-records.js";
import { createWebhookConfig, deleteWebhookConfig, updateWebhookConfig } from "./webhook-configs.js";
import { activateWebhookKey, createWebhookKey } from "./webhook-keys.js";
import { completeWorkflow, deleteWorkflow, startWorkflow, updateWorkflow } from "./workflow-changes.js";

export const WRITE_PROCEDURES = {
  createSubjectRecord,
  createWorkflow,
  updateWorkflow,
  startWorkflow,
  completeWorkflow,
  deleteWorkflow,
  // Subject-record data (data.md).
  createBusiness,
  updateBusiness,
  deleteBusiness,
  createSalesInfo,
  updateSalesInfo,
  // Bank accounts and the business's bank-account associations (data.md §5.3, §7).
  createBankAccount,
  updateBankAccount,
  deleteBankAccount,
  addBusinessBankAccount,
  updateBusinessBankAccount,
  removeBusinessBankAccount,
  createPerson,
  updatePerson,
  deletePerson,
  createIssuedIdentifier,
  updateIssuedIdentifier,
  addBusinessOwner,
  updateBusinessOwner,
  removeBusinessOwner,
  // Locations and their associations (data.md §5.4, §8).
  createLocation,
  updateLocation,
  deleteLocation,
  addBusinessLocation,
  removeBusinessLocation,
  addLocationBankAccount,
  removeLocationBankAccount,
  // Documents (data.md §10).
  createDocument,
  completeDocumentUpload,
  // The subject record's data as a whole (data.md §12.2).
  deleteSubjectRecord,
  // Metadata (data.md §9).
  defineMetadataType,
  createMetadata,
  addMetadataLinks,
  // Webhook keys and endpoints (webhooks.md): account configuration, no events (data.md §13).
  createWebhookKey,
  activateWebhookKey,
  createWebhookConfig,
  updateWebhookConfig,
  deleteWebhookConfig,
  // The one write of a read: its SENSITIVE_DATA_ACCESSED event (http/sensitive-read.ts).
  auditSensitiveRead,
} satisfies Record<string, (tx: DomainStore, input: never) => Promise<unknown>>;

export type WriteProcedureName = keyof typeof WRITE_PROCEDURES;
export type WriteInput<N extends WriteProcedureName> = Parameters<(typeof WRITE_PROCEDURES)[N]>[1];
export type WriteResult<N extends WriteProcedureName> = Awaited<ReturnType<(typeof WRITE_PROCEDURES)[N]>>;

import { Type } from "@sinclair/typebox";
import type { SubjectRecord } from "../domain/records.js";
import { assertVisibleSubjectRecord } from "./access.js";
import {
  BankAccountObject,
  BusinessObject,
  PersonObject,
  presentBankAccount,
  presentBusiness,
  presentPerson,
} from "./data-objects.js";
import { defineMethod, type MethodContext } from "./define.js";
import { LocationObject, presentLocation } from "./location-objects.js";
import { presentSubjectRecord, presentWorkflow, SubjectRecordObject, WorkflowObject } from "./objects.js";
import { Nullable, ShowSensitiveData, Strict, SubjectRecordId } from "./schema.js";

/** Enough to return every workflow a subject record can hold in one response. */
const VERBOSE_WORKFLOW_LIMIT = 1000;

export const subjectRecordGet = defineMethod({
  name: "subjectRecord.get",
  summary:
    "Get a subject record; with verbose, also its workflows, business, persons, bank accounts and locations.",
  auth: true,
  write: false,
  request: Strict({
    subject_record_id: SubjectRecordId,
    verbose: Type.Optional(
      Type.Boolean({
        description:
          "Include the record's workflows, business, persons, bank_accounts and locations (default false)",
      }),
    ),
    show_sensitive_data: ShowSensitiveData,
  }),
  response: Type.Object({
    subject_record: Type.Composite(
      [
        SubjectRecordObject,
        Type.Object({
          workflows: Type.Optional(Type.Array(WorkflowObject)),
          business: Type.Optional(Nullable(BusinessObject)),
          persons: Type.Optional(Type.Array(PersonObject)),
          bank_accounts: Type.Optional(Type.Array(BankAccountObject)),
          locations: Type.Optional(Type.Array(LocationObject)),
        }),
      ],
      { title: "VerboseSubjectRecord" },
    ),
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed subject_record_id; invalid flags" },
    { code: "ENTITY_NOT_FOUND", when: "The subject record does not exist or is not visible" },
  ],
  async handler(context, body) {
    // Step 2 (data.md §2.1); the route audits what the answer reveals (http/sensitive-read.ts).
    const show = context.showSensitiveData(body.show_sensitive_data);
    const record = await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    if (!body.verbose) return { subject_record: presentSubjectRecord(record) };
    return {
      subject_record: { ...presentSubjectRecord(record), ...(await verboseParts(context, record, show)) },
    };
  },
});

/**
 * The verbose keys (data.md §12.1): every entity as its own `get` answers it without verbose,
 * oldest first, not paginated. Each is its own read, as business.get's verbose parts are.
 */
async function verboseParts(context: MethodContext, record: SubjectRecord, show: boolean) {
  const { store } = context;
  const workflows = await store.listWorkflows(record.id, { limit: VERBOSE_WORKFLOW_LIMIT });
  const business = await store.businessOfSubjectRecord(record.id);
  const persons = await store.listPersonsOfSubjectRecord(record.id);
  const bankAccounts = await store.listBankAccountsOfSubjectRecord(record.id);
  // Not subject to locations_enabled (data.md §12.1).
  const locations = await store.listLocationsOfSubjectRecord(record.id);
  return {
    workflows: workflows.items.map(presentWorkflow),
    business: business ? presentBusiness(business, show) : null,
    persons: persons.map((person) => presentPerson(person, show)),
    bank_accounts: bankAccounts.map((account) => presentBankAccount(account, show)),
    locations: locations.map(presentLocation),
  };
}

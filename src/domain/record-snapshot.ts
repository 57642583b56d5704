/**
 * Reads what the completion requirements judge (data.md §14) and judges it: the account's list of
 * keys and a snapshot of the subject record. workflow.canComplete calls it on the store, without a
 * lock; workflow.complete inside its unit of work, holding the subject record's lock (§3.4).
 */
import type { MissingRequirement } from "../errors.js";
import {
  type CompletionRequirementKey,
  isCompletionRequirementKey,
  missingRequirements,
  type RecordSnapshot,
} from "./completion-requirements.js";
import type { CompletionSettings, DomainReads } from "./domain-store.js";
import type { Workflow } from "./records.js";

/**
 * The account's keys. The operator CLI accepts only known keys, so an unknown one is a damaged
 * setting: refused (a logged 500) rather than skipped, which would let a workflow complete unchecked.
 */
export function completionKeys(settings: CompletionSettings): CompletionRequirementKey[] {
  return settings.completion_requirements.map((key) => {
    if (!isCompletionRequirementKey(key)) throw new Error(`unknown completion requirement key ${key}`);
    return key;
  });
}

export async function loadRecordSnapshot(
  reads: Pick<DomainReads, "readRecordData">,
  workflow: Workflow,
  settings: CompletionSettings,
): Promise<RecordSnapshot> {
  const { has_business_location, ...data } = await reads.readRecordData(workflow.subject_record_id);
  const snapshot: RecordSnapshot = { workflow: { id: workflow.id, state: workflow.state }, ...data };
  if (has_business_location !== undefined)
    snapshot.locations = { enabled: settings.locations_enabled, has_business_location };
  return snapshot;
}

const NOTHING_STORED: Omit<RecordSnapshot, "workflow"> = {
  business: null,
  owners: [],
  business_bank_accounts: [],
  sales_info: null,
};

/** What the workflow still lacks (§14's items, in order); empty when it can complete. */
export async function unmetRequirements(
  reads: Pick<DomainReads, "readRecordData" | "getAccountDataSettings">,
  workflow: Workflow,
  today: string,
): Promise<MissingRequirement[]> {
  const settings = await reads.getAccountDataSettings(workflow.account_id);
  if (!settings) throw new Error(`account ${workflow.account_id} of workflow ${workflow.id} not found`);
  const keys = completionKeys(settings);
  // An empty list leaves only the started check, which needs none of the record's data.
  const snapshot =
    keys.length === 0
      ? { ...NOTHING_STORED, workflow: { id: workflow.id, state: workflow.state } }
      : await loadRecordSnapshot(reads, workflow, settings);
  return missingRequirements(snapshot, keys, today);
}

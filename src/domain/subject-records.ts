/** subjectRecord.create as a write procedure. */
import type { DomainStore } from "./domain-store.js";
import { visibleAccount } from "./lookups.js";
import type { SubjectRecord } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

export async function createSubjectRecord(
  tx: DomainStore,
  input: { scope: VisibilityScope; record: SubjectRecord },
): Promise<SubjectRecord> {
  await visibleAccount(tx, input.scope, input.record.account_id, "account_id");
  await tx.insertSubjectRecord(input.record);
  return input.record;
}

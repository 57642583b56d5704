/** subjectRecord.create as a write procedure. */
import { notFound } from "../errors.js";
import type { DomainStore } from "./domain-store.js";
import type { SubjectRecord } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

export async function createSubjectRecord(
  tx: DomainStore,
  input: { scope: VisibilityScope; record: SubjectRecord },
): Promise<SubjectRecord> {
  if (!(await tx.getVisibleAccount(input.record.account_id, input.scope)))
    throw notFound("Account", "account_id");
  await tx.insertSubjectRecord(input.record);
  return input.record;
}

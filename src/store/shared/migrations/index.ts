import type { Kysely } from "kysely";
import * as initial from "./001_initial.js";
import * as idempotency from "./002_idempotency_and_rate_limits.js";
import * as masterKeyCheck from "./003_master_key_check.js";
import * as idempotencyResult from "./004_idempotency_result.js";
import * as accountDataSettings from "./005_account_data_settings.js";
import * as subjectRecordData from "./006_subject_record_data.js";
import * as webhooks from "./007_webhooks.js";
import * as eventStream from "./008_event_stream.js";
import * as locations from "./009_locations.js";
import * as metadata from "./010_metadata.js";
import * as documents from "./011_documents.js";
import * as accountDocumentTypes from "./012_account_document_types.js";

export interface MigrationContext {
  dialect: "sqlite" | "postgres";
}

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}

/** Numbered and append-only: never edit a migration that has landed; add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "initial", up: initial.up },
  { version: 2, name: "idempotency_and_rate_limits", up: idempotency.up },
  { version: 3, name: "master_key_check", up: masterKeyCheck.up },
  { version: 4, name: "idempotency_result", up: idempotencyResult.up },
  { version: 5, name: "account_data_settings", up: accountDataSettings.up },
  { version: 6, name: "subject_record_data", up: subjectRecordData.up },
  { version: 7, name: "webhooks", up: webhooks.up },
  { version: 8, name: "event_stream", up: eventStream.up },
  { version: 9, name: "locations", up: locations.up },
  { version: 10, name: "metadata", up: metadata.up },
  { version: 11, name: "documents", up: documents.up },
  { version: 12, name: "account_document_types", up: accountDocumentTypes.up },
];

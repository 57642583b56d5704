/**
 * The housekeeping job of data.md §10.6, run by every serve process every 60 s: it deletes bytes
 * no COMPLETED document owns — spooled uploads and files of documents not COMPLETED whose deadline
 * passed more than 60 s ago (no upload can complete after its deadline, so none of them can still
 * win), files whose document no longer exists (a crash, subjectRecord.delete), and on PostgreSQL
 * chunk rows without a COMPLETED document. Every step deletes only what is already dead and
 * tolerates finding it gone, so several processes may run it at once. Such bytes are never served
 * meanwhile: downloads read the document's row first.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../domain/clock.js";
import type { Store } from "../store/store.js";
import { removeQuietly } from "./blob-files.js";
import type { DocumentSettings } from "./settings.js";
import { documentIdOfSpoolFile } from "./upload-attempt.js";

/** Grace after a deadline, and the age of a spooled upload that no live attempt still writes. */
const GRACE_MS = 60_000;
/** The longest upload window (operator.md) plus the grace: a PostgreSQL spool older is dead. */
const SPOOL_MAX_AGE_MS = 3600_000 + GRACE_MS;
const CHUNK_BATCH = 500;

export interface HousekeepingDeps {
  store: Store;
  clock: Clock;
  documents: DocumentSettings;
}

/** One pass; answers how many files and chunk rows it deleted. */
export async function runDocumentHousekeeping(deps: HousekeepingDeps): Promise<number> {
  if (deps.documents.dialect === "sqlite") return sweepFiles(deps);
  let deleted = await sweepSpool(deps.documents.spoolDir, deps.clock.now().getTime());
  for (let batch = CHUNK_BATCH; batch >= CHUNK_BATCH; ) {
    batch = await deps.store.deleteOrphanDocumentChunks(CHUNK_BATCH);
    deleted += batch;
  }
  return deleted;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

/** `d_….<ext>` → the document ID. */
function documentIdOfFile(name: string): string | undefined {
  return /^(d_[0-9A-Za-z]+)\.[a-z]+$/.exec(name)?.[1];
}

async function sweepFiles({ store, clock, documents }: HousekeepingDeps): Promise<number> {
  const nowMs = clock.now().getTime();
  let deleted = 0;
  for (const recordDir of await listDir(documents.filesDir)) {
    if (!recordDir.startsWith("sr_")) continue;
    const dir = path.join(documents.filesDir, recordDir);
    for (const name of await listDir(dir)) {
      const spooled = documentIdOfSpoolFile(name);
      const id = spooled ?? documentIdOfFile(name);
      if (!id) continue;
      const file = path.join(dir, name);
      const document = await store.getDocument(id);
      let dead: boolean;
      if (!document) dead = true;
      else if (document.upload_status === "COMPLETED") {
        // The document's own file stays; a spool beside it is a losing or abandoned attempt.
        dead = spooled !== undefined && (await ageMs(file, nowMs)) > GRACE_MS;
      } else dead = Date.parse(document.upload_deadline) + GRACE_MS < nowMs;
      if (dead) {
        await removeQuietly(file);
        deleted += 1;
      }
    }
  }
  return deleted;
}

async function sweepSpool(dir: string, nowMs: number): Promise<number> {
  let deleted = 0;
  for (const name of await listDir(dir)) {
    if (!documentIdOfSpoolFile(name)) continue;
    const file = path.join(dir, name);
    if ((await ageMs(file, nowMs)) > SPOOL_MAX_AGE_MS) {
      await removeQuietly(file);
      deleted += 1;
    }
  }
  return deleted;
}

async function ageMs(file: string, nowMs: number): Promise<number> {
  try {
    return nowMs - (await fs.stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

export function startDocumentHousekeeping(
  deps: HousekeepingDeps & { logger: FastifyBaseLogger; intervalMs: number },
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const deleted = await runDocumentHousekeeping(deps);
      if (deleted > 0) deps.logger.info({ deleted }, "document housekeeping deleted unowned bytes");
    } catch (error) {
      deps.logger.warn({ err: error }, "document housekeeping failed; will retry");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * File operations on document bytes that must be durable (data.md §10.1): directories 0700, files
 * 0600, data fsynced before a rename, and the directory fsynced after it, so a crash leaves either
 * the old name or the new one with all of its bytes.
 */
import { constants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";

export const CHUNK_BYTES = 1 << 20;

export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Renames a fully written (and fsynced) temporary file to its final name, durably. */
export async function moveIntoPlace(tempPath: string, finalPath: string): Promise<void> {
  await ensurePrivateDir(path.dirname(finalPath));
  await fs.rename(tempPath, finalPath);
  await fsyncDir(path.dirname(finalPath));
}

/**
 * Reads a file in 1 MiB pieces: the chunks of the PostgreSQL blob table, never the whole file.
 * Every piece is the same buffer, refilled: a piece is valid until the loop asks for the next one
 * (the insert has sent it by then), so a 25 MiB upload leaves no 25 MiB of buffers for the GC.
 */
export async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.open(file, "r");
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (;;) {
      let filled = 0;
      while (filled < CHUNK_BYTES) {
        const { bytesRead } = await handle.read(buffer, filled, CHUNK_BYTES - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0) return;
      yield filled === CHUNK_BYTES ? buffer : buffer.subarray(0, filled);
      if (filled < CHUNK_BYTES) return;
    }
  } finally {
    await handle.close();
  }
}

/** Removes a file that may already be gone. */
export async function removeQuietly(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}

/** A deleted subject record's document files (SQLite; PostgreSQL chunks went in its transaction). */
export async function removeDocumentFiles(
  documents: { dialect: string; filesDir: string },
  subjectRecordId: string,
): Promise<void> {
  if (documents.dialect !== "sqlite" || !/^sr_[0-9A-Za-z]+$/.test(subjectRecordId)) return;
  await fs.rm(path.join(documents.filesDir, subjectRecordId), { recursive: true, force: true });
}

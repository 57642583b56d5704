/**
 * The SQLite writer thread (started by sqlite-writer.ts). better-sqlite3 is synchronous, so the
 * statements of a write and the fsync of its COMMIT block whichever thread runs them; here they
 * block this one, and the serving thread goes on parsing, authenticating and answering requests.
 * Writes that arrive together share one group-committed transaction, as on the serving thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createAsyncLock } from "./async-lock.js";
import { openSqliteConnection, sqliteTxOn } from "./sqlite-connection.js";
import { createGroupCommit } from "./sqlite-group-commit.js";
import {
  performWrite,
  serializeError,
  type WriterReply,
  type WriterRequest,
} from "./sqlite-writer-protocol.js";

if (!parentPort) throw new Error("sqlite-writer-worker.ts runs only as a worker thread");
const port = parentPort;
const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };

const db = openSqliteConnection(path, busyTimeoutMs);
// Held by a batch of this thread's writes, or lent to the serving thread for its transactions.
const writeLock = createAsyncLock();
const groupCommit = createGroupCommit(db, sqliteTxOn, { exclusive: (batch) => writeLock.run(batch) });
let lentLock: (() => void) | undefined;

function reply(message: WriterReply): void {
  port.postMessage(message);
}

port.on("message", (message: WriterRequest) => {
  switch (message.kind) {
    case "call":
      groupCommit
        .run((tx) => performWrite(tx, message.operation, message.args))
        .then(
          (value) => reply({ id: message.id, ok: true, value }),
          (error: unknown) => reply({ id: message.id, ok: false, error: serializeError(error) }),
        );
      return;
    case "lock":
      void writeLock.acquire().then((release) => {
        lentLock = release;
        reply({ id: message.id, ok: true, value: null });
      });
      return;
    case "unlock":
      lentLock?.();
      lentLock = undefined;
      return;
    case "stop":
      void db.destroy().then(() => process.exit(0));
      return;
  }
});

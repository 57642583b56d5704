/** Holding a SQLite file's write lock from another process, as an admin command or a second server would. */
import { type ChildProcess, spawn } from "node:child_process";

/**
 * Another process takes the write lock (`BEGIN IMMEDIATE`) and releases it after `ms`; resolves
 * once the lock is held. A separate process, because a server's busy wait may block this
 * process's event loop, and a release from here could not happen meanwhile.
 */
export async function holdLockElsewhere(file: string, ms: number): Promise<ChildProcess> {
  const script = `const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
db.exec("begin immediate"); process.stdout.write("locked\\n");
setTimeout(() => { db.exec("rollback"); db.close(); }, ${ms});`;
  const locker = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    locker.stdout?.once("data", () => resolve());
    locker.once("exit", (code) => reject(new Error(`the locker exited (${code}) before locking`)));
  });
  return locker;
}

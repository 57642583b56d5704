/**
 * The data directory and the SQLite files are the owner's alone (issue 11, item 11): created 0700
 * and 0600 whatever the umask, and a start refused with one line when they are more open. The
 * tests run as root, which file permissions do not stop, so modes are checked with stat.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { assertOneLineFailure, cleanEnv, newMasterKey, runCli, startCli } from "./support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase, tempDir } from "./support/databases.js";
import { attemptServe, refused } from "./support/serve-attempt.js";

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe("data files on a fresh data directory [sqlite]", () => {
  let parent: string;
  let dataDir: string;

  before(() => {
    parent = tempDir("vetted-data-files-");
    // Not yet there: the server creates it, under the test process's umask (022 on this machine).
    dataDir = path.join(parent, "data");
  });
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  it("serve creates the data directory 0700 and the database, -wal and -shm files 0600", async () => {
    const server = await startCli(["serve", "--port", "0", "--data-dir", dataDir], cleanEnv());
    try {
      assert.equal(modeOf(dataDir), 0o700, "data dir");
      for (const name of ["vetted.db", "vetted.db-wal", "vetted.db-shm", "master.key"]) {
        const file = path.join(dataDir, name);
        assert.ok(fs.existsSync(file), `${name} exists while serving`);
        assert.equal(modeOf(file), 0o600, name);
      }
    } finally {
      await server.stop();
    }
  });

  it("serve and admin refuse a database file others can read, with one line", async () => {
    const db = path.join(dataDir, "vetted.db");
    fs.chmodSync(db, 0o644);
    try {
      const attempt = await attemptServe(["serve", "--port", "0", "--data-dir", dataDir], cleanEnv());
      assertOneLineFailure(refused(attempt), 2, /vetted\.db is open to other users \(mode 0644\).*chmod 600/);
      const admin = await runCli(["admin", "account", "list", "--data-dir", dataDir], cleanEnv());
      assertOneLineFailure(admin, 2, /vetted\.db is open to other users/);
    } finally {
      fs.chmodSync(db, 0o600);
    }
  });
});

for (const kind of databaseKinds()) {
  describe(`an open data directory is refused [${kind}]`, () => {
    let database: TestDatabase;
    let dataDir: string;

    before(async () => {
      database = await createTestDatabase(kind);
      dataDir = tempDir("vetted-open-dir-");
      fs.chmodSync(dataDir, 0o755);
    });
    after(async () => {
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("serve refuses a data directory with mode 0755, with one line, and writes nothing there", async () => {
      const attempt = await attemptServe(
        ["serve", "--port", "0", "--data-dir", dataDir, "--database", database.url],
        cleanEnv(),
      );
      assertOneLineFailure(
        refused(attempt),
        2,
        new RegExp(`--data-dir: ${dataDir} is open to other users \\(mode 0755\\).*chmod 700`),
      );
      assert.deepEqual(fs.readdirSync(dataDir), [], "no key file was generated");
    });

    it("an admin command refuses it too", async () => {
      const result = await runCli(
        ["admin", "org", "create", "--name", "X", "--data-dir", dataDir, "--database", database.url],
        cleanEnv({ VETTED_MASTER_KEY: newMasterKey() }),
      );
      assertOneLineFailure(result, 2, /is open to other users \(mode 0755\)/);
    });
  });
}

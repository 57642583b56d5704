/**
 * Test databases: a fresh SQLite file, and — when VETTED_TEST_DATABASE_URL is set — a fresh
 * PostgreSQL database created beside the one it names and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";
import pg from "pg";
import type { DatabaseTarget } from "../../src/config.js";

export type DatabaseKind = "sqlite" | "postgres";

export interface TestDatabase {
  kind: DatabaseKind;
  target: DatabaseTarget;
  /** The same as a `--database` URL, for child processes and the CLI. */
  url: string;
  drop(): Promise<void>;
}

export function postgresAdminUrl(): string | undefined {
  return process.env.VETTED_TEST_DATABASE_URL || undefined;
}

/** SQLite always; PostgreSQL too when VETTED_TEST_DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return postgresAdminUrl() ? ["sqlite", "postgres"] : ["sqlite"];
}

export function tempDir(prefix = "vetted-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A maker of temporary directories that are all removed when the calling test file ends. */
export function scratchDirs(): (prefix: string) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = tempDir(prefix);
    made.push(dir);
    return dir;
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = tempDir();
    const file = path.join(dir, "vetted.db");
    return {
      kind,
      target: { kind: "sqlite", path: file },
      url: `sqlite:${file}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = postgresAdminUrl();
  if (!admin) throw new Error("VETTED_TEST_DATABASE_URL is not set");
  const name = `vetted_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    kind,
    target: { kind: "postgres", url: url.toString() },
    url: url.toString(),
    drop: () =>
      withAdmin((client) => client.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

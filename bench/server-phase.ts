/**
 * The HTTP phase for one database: the built server as a child process, the bench's fixture
 * (and preload), a warm-up, one stage per connection count, and the checks that every 2xx wrote
 * exactly one workflow. Also what the server asked of PostgreSQL per request, and its CPU profile.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { BenchConfig, DatabaseKind } from "./config.js";
import {
  type BenchDatabase,
  countWorkflows,
  type DatabaseActivity,
  postgresActivity,
  postgresCheckpoints,
} from "./databases.js";
import type { HttpStageResult } from "./http-load.js";
import type { LoadGenerator } from "./load-generator.js";
import { log } from "./log.js";
import { preload } from "./preload.js";
import { type ProfileSummary, type ProfileWindow, summariseProfile } from "./profile-summary.js";
import type { ServerActivity } from "./report.js";
import { createRequestFactory } from "./requests.js";
import { createFixture, processTree, startServerChild } from "./server-process.js";
import { postgresCpuMs, round } from "./stats.js";

const WARMUP_CONNECTIONS = 8;

export type Stage = HttpStageResult & {
  database: DatabaseKind;
  /** PostgreSQL: checkpoints that started during the stage (its p99 shows them). */
  checkpoints?: number;
};

export interface ServerPhase {
  serverProcesses: number;
  activity?: ServerActivity;
  stages: Stage[];
  warmup: Stage[];
  problems: string[];
  profile?: ProfileSummary;
}

function describeStage(kind: DatabaseKind, stage: Stage): string {
  return (
    `[${kind}] ${stage.connections} connections: ${stage.req_per_s.toFixed(0)} req/s, ` +
    `p50 ${stage.p50_ms} ms, p99 ${stage.p99_ms} ms, non-2xx ${stage.non2xx}, errors ${stage.errors}` +
    (stage.checkpoints ? `, ${stage.checkpoints} database checkpoint(s) during it` : "")
  );
}

function stageProblems(kind: DatabaseKind, stage: HttpStageResult, label: string): string[] {
  const problems: string[] = [];
  if (stage.non2xx > 0) {
    problems.push(`${kind} ${label}: ${stage.non2xx} non-2xx responses, e.g. ${stage.failures[0] ?? "?"}`);
  }
  if (stage.errors > 0) problems.push(`${kind} ${label}: ${stage.errors} connection errors or timeouts`);
  return problems;
}

function perRequest(before: DatabaseActivity, after: DatabaseActivity, requests: number): ServerActivity {
  const each = (a: number, b: number) => round((a - b) / Math.max(requests, 1), 2);
  return {
    requests,
    transactions_per_request: each(after.transactions, before.transactions),
    rows_inserted_per_request: each(after.rows_inserted, before.rows_inserted),
    rows_updated_per_request: each(after.rows_updated, before.rows_updated),
  };
}

/** Copies the server's profiles (one per process: the primary and each worker) and summarises them. */
function keepProfiles(dir: string, prefix: string, window: ProfileWindow): ProfileSummary | undefined {
  const written = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (written.length === 0) return undefined;
  fs.mkdirSync(path.dirname(prefix), { recursive: true });
  const kept = written.map((file, i) => {
    const target = `${prefix}-${i + 1}.cpuprofile`;
    fs.copyFileSync(path.join(dir, file), target);
    return target;
  });
  return summariseProfile(kept, 25, window);
}

/** The HTTP part: the server child on this database, warm-up, then one stage per connection count. */
export async function measureServer(
  kind: DatabaseKind,
  database: BenchDatabase,
  config: BenchConfig,
  /** Where to keep the server's CPU profiles (`<prefix>-<n>.cpuprofile`), or undefined for none. */
  profilePrefix: string | undefined,
  loadGenerator: LoadGenerator,
  /** The database's secrets are sealed under it; a later server on the same database needs the same. */
  masterKey: string = randomBytes(32).toString("base64"),
): Promise<ServerPhase & { accountId: string }> {
  const profileDir = profilePrefix ? fs.mkdtempSync(path.join(database.dataDir, "profile-")) : undefined;
  const server = await startServerChild({
    database,
    masterKey,
    cpuProfileDir: profileDir,
    extraArgs: config.serverArgs,
  });
  // With --workers the primary forks its workers as it starts; they are all up once /readyz answers.
  const processes = fs.existsSync("/proc") ? processTree(server.pid).length : 1;
  log(
    `[${kind}] server ${server.pid} ready at ${server.url} (${processes} process${processes > 1 ? "es" : ""})`,
  );
  const fixture = await createFixture(database, masterKey);
  if (config.preload > 0) {
    const started = Date.now();
    log(`[${kind}] preloading ${config.preload} workflows…`);
    await preload(database, fixture.accountId, config.preload);
    log(`[${kind}] preloaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const before = await countWorkflows(database, fixture.accountId);
  const activityBefore =
    database.target.kind === "postgres" ? await postgresActivity(database.target.url) : undefined;
  const factory = createRequestFactory({ credentials: fixture.credentials, accountId: fixture.accountId });
  const outcome: ServerPhase = {
    stages: [],
    warmup: [],
    problems: [],
    serverProcesses: processes,
  };
  const stage = (connections: number, durationS: number) =>
    loadGenerator.run({
      url: server.url,
      connections,
      durationS,
      factory,
      serverCpuMs: server.cpuMs,
      servingCpuMs: server.servingCpuMs,
      databaseCpuMs: kind === "postgres" ? postgresCpuMs : undefined,
    });

  if (config.warmupS > 0) {
    const warmup: Stage = { database: kind, ...(await stage(WARMUP_CONNECTIONS, config.warmupS)) };
    outcome.warmup.push(warmup);
    outcome.problems.push(...stageProblems(kind, warmup, "warm-up"));
    log(`${describeStage(kind, warmup)} (warm-up, not recorded)`);
  }
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  const window = { fromUs: monotonicUs(), toUs: 0 };
  const checkpoints = () =>
    database.target.kind === "postgres"
      ? postgresCheckpoints(database.target.url)
      : Promise.resolve(undefined);
  for (const connections of config.connections) {
    const checkpointsBefore = await checkpoints();
    const result: Stage = { database: kind, ...(await stage(connections, config.durationS)) };
    const checkpointsAfter = await checkpoints();
    if (checkpointsBefore !== undefined && checkpointsAfter !== undefined) {
      result.checkpoints = checkpointsAfter - checkpointsBefore;
    }
    outcome.stages.push(result);
    outcome.problems.push(...stageProblems(kind, result, `${connections} connections`));
    log(describeStage(kind, result));
    await sleep(500);
  }
  window.toUs = monotonicUs();
  await server.stop();
  if (server.output.length > 0) log(`[${kind}] server said:\n  ${server.output.slice(-20).join("\n  ")}`);

  // Every 2xx is one new workflow. Requests still in flight when a stage's time was up were not
  // counted by the load generator but may have committed, so the count lies between the two.
  const written = (await countWorkflows(database, fixture.accountId)) - before;
  const all = [...outcome.warmup, ...outcome.stages];
  const answered = all.reduce((sum, s) => sum + s.ok, 0);
  const sent = all.reduce((sum, s) => sum + s.sent, 0);
  if (activityBefore && database.target.kind === "postgres") {
    // Backends publish their counters when they exit; give the server's a moment to go.
    await sleep(1000);
    outcome.activity = perRequest(activityBefore, await postgresActivity(database.target.url), answered);
    log(
      `[${kind}] per successful request: ${outcome.activity.transactions_per_request} transactions, ` +
        `${outcome.activity.rows_inserted_per_request} rows inserted, ` +
        `${outcome.activity.rows_updated_per_request} rows updated`,
    );
  }
  if (written < answered || written > sent) {
    outcome.problems.push(
      `${kind}: ${answered} successful creates (${sent} sent) but ${written} new workflows in the database`,
    );
  }

  if (profileDir && profilePrefix) {
    outcome.profile = keepProfiles(profileDir, profilePrefix, window);
    if (!outcome.profile) log(`[${kind}] the server wrote no CPU profile`);
  }
  return { ...outcome, accountId: fixture.accountId };
}

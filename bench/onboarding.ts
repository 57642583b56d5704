/**
 * The onboarding scenario (issue 13): merchants onboarded end to end against the real built
 * server, by N concurrent loops for a fixed time. Each loop repeats what `vetted demo` and
 * examples/onboard-merchant.ts do — `onboardSampleMerchant` (workflow.create, business.create,
 * person.create, business.addOwner, bankAccount.create, business.addBankAccount,
 * business.salesInfo.create) with the typed client, then workflow.canComplete and
 * workflow.complete — and times the whole merchant. The server gets its own child process and
 * fixture (a new account) on the database the create stages used, after their floor was measured.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type CallOptions,
  createClient,
  type MethodName,
  type RequestOf,
  type VettedClient,
} from "@vetted/client";
import { onboardSampleMerchant } from "../src/cli/sample-merchant.js";
import type { BenchConfig, DatabaseKind } from "./config.js";
import { type BenchDatabase, countWorkflows } from "./databases.js";
import { log } from "./log.js";
import { createFixture, startServerChild } from "./server-process.js";
import { type CpuSpan, postgresCpuMs, round, startCpuPerRequest, startCpuSpan, summarise } from "./stats.js";

/** The calls one merchant takes: the seven of onboardSampleMerchant, canComplete and complete. */
export const REQUESTS_PER_MERCHANT = 9;

export interface OnboardingStage {
  database: DatabaseKind;
  /** Concurrent onboarding loops, each one merchant at a time (one request in flight). */
  loops: number;
  /** From the first request to the last answer: loops finish the merchant they are on when time is up. */
  duration_s: number;
  /** Merchants completed (workflow.complete answered SUCCESS). */
  merchants: number;
  merchants_per_s: number;
  /** Per merchant, from its workflow.create being sent to its workflow.complete's answer. */
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Requests answered or failed, of every method. */
  requests: number;
  req_per_s: number;
  /** Requests answered with an error, or that got no answer (connection error). */
  failed_requests: number;
  /** Merchants whose workflow.canComplete said false after the sample data (a failure too). */
  not_completable: number;
  /** What went wrong first (a loop stops at its first failure). */
  failures: string[];
  /** CPU per completed merchant, in ms: the server's processes, PostgreSQL's, the whole machine. */
  server_cpu_ms_per_merchant: number | null;
  database_cpu_ms_per_merchant: number | null;
  machine_cpu_ms_per_merchant: number | null;
  cpu: CpuSpan;
}

export interface OnboardingPhase {
  stages: OnboardingStage[];
  warmup: OnboardingStage[];
  problems: string[];
}

interface Tally {
  requests: number;
  failed: number;
  notCompletable: number;
  failures: string[];
}

function note(tally: Tally, failure: string): void {
  if (tally.failures.length < 5) tally.failures.push(failure.slice(0, 500));
}

/** The typed client, counting every call and every failed one. */
function countingClient(inner: VettedClient, tally: Tally): VettedClient {
  return {
    ...inner,
    async call<N extends MethodName>(method: N, body: RequestOf<N>, options?: CallOptions) {
      tally.requests++;
      try {
        const result = await inner.call(method, body, options);
        if (!result.ok) {
          tally.failed++;
          note(tally, `${method}: ${result.status} ${JSON.stringify(result.errors)}`);
        }
        return result;
      } catch (error) {
        tally.failed++;
        note(tally, `${method}: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    },
  };
}

/** One loop: merchant after merchant until the deadline, or until anything fails. */
async function onboardingLoop(
  client: VettedClient,
  accountId: string,
  deadline: number,
  tally: Tally,
  latencies: number[],
): Promise<void> {
  while (performance.now() < deadline && tally.failed === 0 && tally.notCompletable === 0) {
    const started = performance.now();
    try {
      const merchant = await onboardSampleMerchant(client, accountId);
      const check = await client.call("workflow.canComplete", { workflow_id: merchant.workflow_id });
      if (!check.ok) return;
      if (!check.data.can_complete) {
        tally.notCompletable++;
        note(
          tally,
          `workflow.canComplete: false, missing ${JSON.stringify(check.data.missing_requirements)}`,
        );
        return;
      }
      const completed = await client.call("workflow.complete", { workflow_id: merchant.workflow_id });
      if (!completed.ok) return;
    } catch (error) {
      // A failed call was counted by the client; anything else is a failure of its own.
      if (tally.failed === 0) {
        tally.failed++;
        note(tally, error instanceof Error ? error.message : String(error));
      }
      return;
    }
    latencies.push(performance.now() - started);
  }
}

async function runStage(options: {
  database: DatabaseKind;
  client: VettedClient;
  accountId: string;
  loops: number;
  durationS: number;
  serverCpuMs: () => number | undefined;
}): Promise<OnboardingStage> {
  const tally: Tally = { requests: 0, failed: 0, notCompletable: 0, failures: [] };
  const latencies: number[] = [];
  const client = countingClient(options.client, tally);
  const databaseCpuMs = options.database === "postgres" ? postgresCpuMs : undefined;
  const endSpan = startCpuSpan(options.serverCpuMs);
  const endPerMerchant = startCpuPerRequest({ server: options.serverCpuMs, database: databaseCpuMs });
  const started = performance.now();
  const deadline = started + options.durationS * 1000;
  await Promise.all(
    Array.from({ length: options.loops }, () =>
      onboardingLoop(client, options.accountId, deadline, tally, latencies),
    ),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = endSpan();
  const merchants = latencies.length;
  const perMerchant = endPerMerchant(merchants);
  return {
    database: options.database,
    loops: options.loops,
    duration_s: round(elapsedS, 3),
    merchants,
    merchants_per_s: round(merchants / elapsedS, 1),
    ...summarise(latencies),
    requests: tally.requests,
    req_per_s: round(tally.requests / elapsedS, 1),
    failed_requests: tally.failed,
    not_completable: tally.notCompletable,
    failures: tally.failures,
    server_cpu_ms_per_merchant: perMerchant.server_cpu_ms_per_request,
    database_cpu_ms_per_merchant: perMerchant.database_cpu_ms_per_request,
    machine_cpu_ms_per_merchant: perMerchant.machine_cpu_ms_per_request,
    cpu,
  };
}

function describe(stage: OnboardingStage): string {
  return (
    `[${stage.database}] onboarding, ${stage.loops} loops: ${stage.merchants_per_s.toFixed(1)} merchants/s ` +
    `(${stage.merchants} in ${stage.duration_s} s), p50 ${stage.p50_ms} ms, p99 ${stage.p99_ms} ms per merchant, ` +
    `${stage.req_per_s.toFixed(0)} req/s, ${stage.server_cpu_ms_per_merchant ?? "?"} ms of server CPU per merchant` +
    (stage.failed_requests || stage.not_completable
      ? `, ${stage.failed_requests} failed requests, ${stage.not_completable} not completable: ${stage.failures[0]}`
      : "")
  );
}

function stageProblems(stage: OnboardingStage, label: string): string[] {
  if (stage.failed_requests === 0 && stage.not_completable === 0) return [];
  return [
    `${stage.database} onboarding ${label}: ${stage.failed_requests} failed requests, ` +
      `${stage.not_completable} merchants not completable, e.g. ${stage.failures[0] ?? "?"}`,
  ];
}

/** The server on this database, a new account, a warm-up, then one stage per loop count. */
export async function measureOnboarding(
  kind: DatabaseKind,
  database: BenchDatabase,
  config: BenchConfig,
  masterKey: string = randomBytes(32).toString("base64"),
): Promise<OnboardingPhase> {
  const server = await startServerChild({ database, masterKey, extraArgs: config.serverArgs });
  const phase: OnboardingPhase = { stages: [], warmup: [], problems: [] };
  let fixture: Awaited<ReturnType<typeof createFixture>>;
  try {
    fixture = await createFixture(database, masterKey);
    log(`[${kind}] onboarding: server ${server.pid} ready at ${server.url}`);
    const client = createClient({ baseUrl: server.url, ...fixture.credentials, retry: false });
    const stage = (loops: number, durationS: number) =>
      runStage({
        database: kind,
        client,
        accountId: fixture.accountId,
        loops,
        durationS,
        serverCpuMs: server.cpuMs,
      });
    if (config.warmupS > 0) {
      const warmup = await stage(config.onboardingLoops[0] ?? 8, config.warmupS);
      phase.warmup.push(warmup);
      phase.problems.push(...stageProblems(warmup, "warm-up"));
      log(`${describe(warmup)} (warm-up, not recorded)`);
    }
    for (const loops of config.onboardingLoops) {
      const result = await stage(loops, config.onboardingDurationS);
      phase.stages.push(result);
      phase.problems.push(...stageProblems(result, `${loops} loops`));
      log(describe(result));
      await sleep(500);
    }
  } finally {
    await server.stop();
  }
  if (server.output.length > 0) log(`[${kind}] server said:\n  ${server.output.slice(-20).join("\n  ")}`);

  // Every merchant counted ended its business application; with no failure, exactly those did.
  const all = [...phase.warmup, ...phase.stages];
  const completed = all.reduce((sum, s) => sum + s.merchants, 0);
  const ended = await countWorkflows(database, fixture.accountId, "ENDED");
  if (phase.problems.length === 0 && ended !== completed) {
    phase.problems.push(`${kind} onboarding: ${completed} merchants completed but ${ended} ended workflows`);
  }
  return phase;
}

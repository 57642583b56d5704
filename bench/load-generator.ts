/**
 * Which load generator drives the HTTP stages (issue 5): wrk when it is on PATH — C, in its own
 * process, so it takes less of the two cores the server and the database share — and autocannon,
 * in the bench process, otherwise. BENCH_LOAD_GENERATOR=wrk|autocannon forces one.
 */
import type { BenchConfig } from "./config.js";
import {
  type HttpStageResult,
  type LoadGeneratorName,
  runAutocannonStage,
  type StageOptions,
} from "./http-load.js";
import { runWrkStage, wrkVersion } from "./wrk-load.js";

/** `vetted serve`'s default --max-clock-skew: the server refuses a signed timestamp older than this. */
const SERVER_CLOCK_SKEW_S = 300;

export interface LoadGenerator {
  name: LoadGeneratorName;
  version: string;
  /** For the result's settings. */
  description: string;
  run(options: StageOptions): Promise<HttpStageResult>;
}

export function chooseLoadGenerator(config: BenchConfig): LoadGenerator {
  const wrk = config.loadGenerator === "autocannon" ? undefined : wrkVersion();
  if (config.loadGenerator === "wrk" && !wrk) {
    throw new Error("BENCH_LOAD_GENERATOR=wrk but wrk is not on PATH (apt-get install wrk)");
  }
  if (!wrk) {
    return {
      name: "autocannon",
      version: "8.0.0",
      description: "autocannon (in the bench process)",
      run: runAutocannonStage,
    };
  }
  // wrk sends requests signed before the stage; the last are a stage's length old when sent.
  const longest = Math.max(config.durationS, config.warmupS);
  if (longest > SERVER_CLOCK_SKEW_S - 60) {
    throw new Error(
      `stages of ${longest} s are too long for wrk: its last pre-signed requests would be older than ` +
        `the server's ${SERVER_CLOCK_SKEW_S} s clock skew when sent; use BENCH_LOAD_GENERATOR=autocannon`,
    );
  }
  return {
    name: "wrk",
    version: wrk,
    description:
      `wrk (a child process, ${config.wrkThreads} thread(s), requests signed before each stage, ` +
      `${config.wrkMaxRate} per second of stage)`,
    run: (options) => runWrkStage({ ...options, maxRate: config.wrkMaxRate, threads: config.wrkThreads }),
  };
}

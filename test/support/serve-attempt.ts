/**
 * Starts `vetted serve` (or `demo`) as a child and reports whether it served or exited first: for
 * tests of start-up refusals, where a server that wrongly starts must not hang the test.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { CliResult } from "./cli.js";
import { cliArguments, cliEnvironment, REPO_ROOT } from "./cli-process.js";

export type ServeAttempt = { served: true; stdout: string; stderr: string } | ({ served: false } & CliResult);

export function attemptServe(args: string[], env: NodeJS.ProcessEnv): Promise<ServeAttempt> {
  const child = spawn(process.execPath, cliArguments(args), {
    cwd: REPO_ROOT,
    env: cliEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let served = false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (!served && stdout.includes("vetted is serving")) {
        served = true;
        child.kill("SIGKILL");
      }
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve(served ? { served, stdout, stderr } : { served, code, signal, stdout, stderr });
    });
  });
}

/** Asserts the command exited without serving, and returns how it exited. */
export function refused(attempt: ServeAttempt): CliResult {
  if (attempt.served) assert.fail(`it started serving, and should have refused:\n${attempt.stdout}`);
  return attempt;
}

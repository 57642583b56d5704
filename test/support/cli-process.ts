/**
 * How a test starts the `vetted` CLI as a child process: `spawn(process.execPath,
 * cliArguments(args), { cwd: REPO_ROOT, env: cliEnvironment(env) })`.
 *
 * `npm test` (scripts/run-tests.mjs) builds dist/ and the SDK's dist/ just before the run and sets
 * VETTED_TEST_CLI_BUILT=1: children then start from the build, as the installed `vetted` does.
 * Importing the server through tsx costs about 2.5 s of CPU against 1 s built, and the suite starts
 * a few hundred children on two cores. Run any other way (`node --import tsx --test test/x.test.ts`),
 * children load src/ through tsx, so a test never runs a stale build.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const BUILT = process.env.VETTED_TEST_CLI_BUILT === "1";

/** The node arguments that run `vetted <args>`. */
export function cliArguments(args: readonly string[]): string[] {
  if (BUILT) return [path.join(REPO_ROOT, "dist/cli/entry.js"), ...args];
  return ["--import", "tsx", path.join(REPO_ROOT, "src/cli/entry.ts"), ...args];
}

/**
 * The environment for a CLI child. Built, it must not resolve the SDK to its TypeScript source
 * (the `vetted-source` condition npm test puts in NODE_OPTIONS for the tests themselves): node
 * cannot load .ts without tsx.
 */
export function cliEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!BUILT || env.NODE_OPTIONS === undefined) return env;
  const options = env.NODE_OPTIONS.replace(/--conditions=vetted-source/g, "").trim();
  return { ...env, NODE_OPTIONS: options };
}

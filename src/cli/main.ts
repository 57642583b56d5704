/** The `vetted` command: serve, migrate, demo, admin, and the client commands (call, login, listen, trigger). */
import { availableParallelism } from "node:os";
import { Command, CommanderError, Option } from "commander";
import { type ConfigFlags, parseConfig } from "../config.js";
import { registerAdmin } from "./admin.js";
import { registerClientCommands } from "./client-commands.js";
import { describeFailure, formatFailure, wantsJsonErrors } from "./failure.js";
import { packageVersion } from "./version.js";

function addConfigOptions(command: Command): Command {
  return command
    .addOption(new Option("--data-dir <dir>", "data directory (VETTED_DATA_DIR, default ./data)"))
    .addOption(
      new Option("--database <url>", "sqlite:<path>, sqlite::memory: or postgres://… (VETTED_DATABASE_URL)"),
    )
    .addOption(
      new Option("--master-key-file <file>", "master key file (VETTED_MASTER_KEY holds the key itself)"),
    )
    .addOption(
      new Option(
        "--previous-master-key-file <file>",
        "during a key rotation, the old key: opens secrets, never seals (VETTED_PREVIOUS_MASTER_KEY)",
      ),
    );
}

/** Only `serve` scales out; `demo` is one process by design. */
function addWorkerOptions(command: Command): Command {
  return command.addOption(
    new Option(
      "--workers <n>",
      "server processes sharing the port, PostgreSQL only (VETTED_WORKERS, default: cores)",
    ),
  );
}

function addServeOptions(command: Command): Command {
  return addConfigOptions(command)
    .addOption(new Option("--port <port>", "listen port, 0 for any (VETTED_PORT, default 8080)"))
    .addOption(new Option("--host <host>", "listen address (VETTED_HOST, default 127.0.0.1)"))
    .addOption(
      new Option(
        "--max-clock-skew <seconds>",
        "allowed signed-timestamp skew (VETTED_MAX_CLOCK_SKEW_S, default 300)",
      ),
    )
    .addOption(
      new Option("--body-limit <bytes>", "largest request body (VETTED_BODY_LIMIT, default 1048576)"),
    )
    .addOption(
      new Option(
        "--rate-limit <per-second>",
        "requests per second per credential, 0 = off (VETTED_RATE_LIMIT, default 100)",
      ),
    )
    .addOption(
      new Option(
        "--rate-limit-burst <n>",
        "requests a credential may burst (VETTED_RATE_LIMIT_BURST, default 200)",
      ),
    )
    .addOption(
      new Option(
        "--rate-limit-shared <bool>",
        "keep rate-limit buckets in the database, exact across processes, one write per request (VETTED_RATE_LIMIT_SHARED, default false)",
      ),
    )
    .addOption(
      new Option(
        "--db-pool-size <n>",
        "PostgreSQL connections per process (VETTED_DB_POOL_SIZE, default 10)",
      ),
    )
    .addOption(
      new Option("--log-level <level>", "fatal|error|warn|info|debug|trace|silent (VETTED_LOG_LEVEL)"),
    )
    .addOption(new Option("--metrics <bool>", "serve /metrics (VETTED_METRICS, default true)"))
    .addOption(
      new Option(
        "--allow-insecure-webhooks",
        "development only: webhook endpoints may be http:// URLs on localhost, 127.0.0.1 or [::1] (VETTED_ALLOW_INSECURE_WEBHOOKS)",
      ),
    )
    .addOption(
      new Option(
        "--public-url <url>",
        "base of document upload and download URLs (VETTED_PUBLIC_URL, default http://<host>:<port>)",
      ),
    )
    .addOption(
      new Option(
        "--document-max-bytes <bytes>",
        "largest document (VETTED_DOCUMENT_MAX_BYTES, default 26214400)",
      ),
    )
    .addOption(
      new Option(
        "--document-upload-ttl <seconds>",
        "upload window after document.create, 60–3600 (VETTED_DOCUMENT_UPLOAD_TTL_S, default 900)",
      ),
    );
}

export function buildProgram(): Command {
  const program = new Command("vetted").description("Vetted: self-hosted compliance workflow server");
  program.version(packageVersion(), "-V, --version", "print the version");
  program.exitOverride();
  // Commander's own errors (unknown option, missing value, missing subcommand) are reported by
  // `main` like every other failure (failure.ts), so it writes nothing to stderr itself.
  program.configureOutput({ writeErr: () => {}, outputError: () => {} });

  const serve = addServeOptions(program.command("serve").description("apply migrations, then serve the API"));
  // The HTTP stack is loaded only by the commands that serve, so admin commands start quickly.
  addWorkerOptions(serve);
  serve.action(async () => {
    const config = parseConfig(serve.opts() as ConfigFlags, process.env, availableParallelism());
    const { serveWithWorkers } = await import("../cluster.js");
    await serveWithWorkers(config);
  });

  const migrateCommand = addConfigOptions(
    program.command("migrate").description("apply pending migrations and exit"),
  );
  migrateCommand.action(async () => {
    const config = parseConfig(migrateCommand.opts() as ConfigFlags, process.env);
    const { openStore } = await import("../store/open.js");
    const store = openStore(config.database);
    try {
      const applied = await store.migrate();
      process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "up to date\n");
    } finally {
      await store.close();
    }
  });

  const demo = addServeOptions(
    program.command("demo").description("create demo credentials on first run, print them, serve"),
  );
  demo.action(async () => {
    // The demo is the local development sandbox: a receiver on http://localhost is what a
    // developer registers first, so webhook endpoints may be insecure local URLs here.
    const config = { ...parseConfig(demo.opts() as ConfigFlags, process.env), allowInsecureWebhooks: true };
    const { runDemo } = await import("./demo.js");
    await runDemo(config);
  });

  registerAdmin(program, addConfigOptions);
  registerClientCommands(program);
  return program;
}

/** Exit 2 for a usage error (a bad setting or flag), 1 for an operation that failed (failure.ts). */
export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // --help and --version end through the exit override too.
    if (error instanceof CommanderError && error.exitCode === 0) process.exit(0);
    const failure = describeFailure(error, args);
    process.stderr.write(formatFailure(failure, wantsJsonErrors(args)));
    process.exit(failure.exitCode);
  }
}

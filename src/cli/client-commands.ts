/** `vetted call`, `login`, `logout`, `listen` and `trigger`: client-side commands that talk to a running server. */
import type { Command } from "commander";
import { registerCallCommand } from "./call.js";
import {
  accountValue,
  addClientOptions,
  type ClientFlags,
  clientOptionsOf,
  httpUrl,
} from "./client-credentials.js";
import { registerLoginCommands } from "./login.js";
import { UsageError } from "./usage-error.js";

export function registerClientCommands(program: Command): void {
  registerCallCommand(program);
  registerLoginCommands(program);
  const listenCommand = addClientOptions(
    program
      .command("listen")
      .description("follow an account's live event stream and POST each envelope to a local URL")
      .requiredOption("--account <account_id>", "the account whose events to follow", accountValue)
      .requiredOption("--forward-to <url>", "where to POST each envelope (http:// or https://)", (value) => {
        httpUrl(value, "--forward-to");
        return value;
      }),
  );
  listenCommand.action(async () => {
    const flags = listenCommand.opts() as ClientFlags & { account: string; forwardTo: string };
    const client = clientOptionsOf(flags, process.env);
    const { listen } = await import("./listen.js");
    await listen({
      client,
      accountId: flags.account,
      forwardTo: flags.forwardTo,
      out: (line) => process.stdout.write(`${line}\n`),
      note: (line) => process.stderr.write(`${line}\n`),
    });
  });

  const triggerCommand = addClientOptions(
    program
      .command("trigger")
      .description("make the API calls that cause one event in a sandbox account")
      .argument("<event_type>", "e.g. WORKFLOW_STARTED, BUSINESS_CREATED")
      .requiredOption("--account <account_id>", "a sandbox account (sb_…)", accountValue),
  );
  triggerCommand.action(async (eventType: string) => {
    const flags = triggerCommand.opts() as ClientFlags & { account: string };
    const { SUPPORTED_TRIGGERS, trigger } = await import("./trigger.js");
    if (!SUPPORTED_TRIGGERS.includes(eventType)) {
      throw new UsageError(
        `unsupported event type "${eventType}"; supported: ${SUPPORTED_TRIGGERS.join(", ")}`,
      );
    }
    // Made-up data has no place in a live account.
    if (flags.account.startsWith("lv_")) {
      throw new UsageError(
        `trigger writes test data and works on sandbox accounts only; ${flags.account} is live`,
      );
    }
    const options = clientOptionsOf(flags, process.env);
    const { createClient } = await import("@vetted/client");
    const made = await trigger(createClient(options), flags.account, eventType);
    process.stdout.write(`${eventType} triggered in ${flags.account}: ${made.join(", ")}\n`);
  });
}

/**
 * `vetted call <method> [--data …]`: signs and sends any API method, prints the answer.
 * For people: the `data` pretty-printed on stdout, or each error as one line on stderr (code,
 * sub_code, field, message, HTTP status, trace ID). With --json: the whole envelope as one line on
 * stdout, success or API error alike, so a script reads the server's own answer. Exit 0 on
 * success, 1 when the API answers an error or cannot be reached, 2 for a usage error (main.ts).
 */
import fs from "node:fs";
import type { Command } from "commander";
import type { WireError } from "../errors.js";
import type { Envelope } from "./api-call.js";
import { addClientOptions, baseUrlOf, type ClientFlags, clientOptionsOf } from "./client-credentials.js";
import { UsageError } from "./usage-error.js";

interface CallFlags extends ClientFlags {
  data?: string;
  json?: boolean;
  idempotencyKey?: string;
  apiVersion?: string;
}

/** The one method that needs no credential (methods.md): it may be called before `vetted login`. */
const UNAUTHENTICATED = "meta.checkVersion";

export function registerCallCommand(program: Command): void {
  const call = addClientOptions(
    program
      .command("call")
      .description("sign and send any API method, print its answer")
      .argument("<method>", "e.g. workflow.create")
      .option("--data <json>", "the request body: JSON, @file for a file's JSON, - for standard input", "{}")
      .option("--json", "print the whole response envelope as one JSON line (errors too)")
      .option("--idempotency-key <key>", "sent as Idempotency-Key: a retry with it is answered once")
      .option("--api-version <version>", "sent as X-API-Version (default: the server's latest)"),
  );
  call.action(async (method: string) => {
    const flags = call.opts() as CallFlags;
    await checkMethodName(method);
    const body = parseBody(await readData(flags.data ?? "{}"), flags.data ?? "{}");
    const client =
      method === UNAUTHENTICATED
        ? { baseUrl: baseUrlOf(flags, process.env), apiKey: "", secretKey: "", authToken: "" }
        : clientOptionsOf(flags, process.env);
    const { callApi } = await import("./api-call.js");
    const answer = await callApi(client, method, body, {
      idempotencyKey: flags.idempotencyKey,
      apiVersion: flags.apiVersion,
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(answer.envelope)}\n`);
    } else if (answer.ok) {
      process.stdout.write(`${JSON.stringify(answer.envelope.data ?? {}, null, 2)}\n`);
    } else {
      process.stderr.write(errorLines(answer.status, answer.envelope));
    }
    // Not process.exit: stdout may still be draining into a pipe.
    if (!answer.ok) process.exitCode = 1;
  });
}

async function checkMethodName(method: string): Promise<void> {
  // The method list is loaded only here: it brings every method's schema with it.
  const { METHODS } = await import("../methods/index.js");
  const names = METHODS.map((m) => m.name);
  if (names.includes(method)) return;
  const closest = closestName(method, names);
  throw new UsageError(
    `unknown method "${method}"${closest ? `; did you mean ${closest}?` : ""} (the methods are listed in openapi.json and at /docs)`,
  );
}

/** The name nearest to `input` by edit distance, if it is near enough to be a typo. */
export function closestName(input: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(input.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(3, Math.floor(input.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/** `--data` as text: itself, a file's content (@file), or all of standard input (-). */
async function readData(data: string): Promise<string> {
  if (data === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  if (!data.startsWith("@")) return data;
  const file = data.slice(1);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`--data @${file}: cannot read the file: ${reason}`);
  }
}

/** Every method takes a JSON object; anything else is refused before a request is made. */
function parseBody(text: string, data: string): Record<string, unknown> {
  const source = data === "-" ? "standard input" : data.startsWith("@") ? data : "--data";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${source} must be a JSON object, like {"account_id":"sb_…"}`);
  }
  return value as Record<string, unknown>;
}

/** One line per error the API answered: what a person needs to fix it or to report it. */
export function errorLines(status: number, envelope: Envelope): string {
  const describe = (error: WireError) => {
    const details = [
      error.sub_code && `sub_code ${error.sub_code}`,
      error.field && `field ${error.field}`,
    ].filter(Boolean);
    const where = details.length > 0 ? ` (${details.join(", ")})` : "";
    const message = error.message.replace(/\s*\n\s*/g, " ");
    return `vetted: ${error.code}${where}: ${message} [HTTP ${status}, trace_id ${envelope.meta.trace_id}]\n`;
  };
  const errors = envelope.errors ?? [];
  return errors.length > 0
    ? errors.map(describe).join("")
    : `vetted: the API answered HTTP ${status} with no error detail [trace_id ${envelope.meta.trace_id}]\n`;
}

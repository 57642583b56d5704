/**
 * Where `vetted admin credential import` reads the secret key and auth token from. Never the
 * command line, which every local user can read in the process list: a file, standard input
 * (`-`), or an environment variable.
 */
import fs from "node:fs";
import { UsageError } from "./usage-error.js";

export const SECRET_KEY_ENV = "VETTED_IMPORT_SECRET_KEY";
export const AUTH_TOKEN_ENV = "VETTED_IMPORT_AUTH_TOKEN";

export const IMPORT_SECRETS_HELP = `
The secret key and auth token are never taken on the command line, where every local user can read
them in the process list. Each comes from, in this order:
  --secret-key-file <path> / --auth-token-file <path>   a file holding the value
  --secret-key-file - / --auth-token-file -             standard input; when both are -, the
                                                         secret key is its first line and the auth
                                                         token its second
  ${SECRET_KEY_ENV} / ${AUTH_TOKEN_ENV}   the environment
Example: printf '%s\\n%s\\n' "$SECRET_KEY" "$AUTH_TOKEN" | vetted admin credential import --org … --env sandbox --api-key sb_… --secret-key-file - --auth-token-file -`;

interface SecretSource {
  what: string;
  fileFlag: string;
  file: string | undefined;
  envName: string;
}

/** A flag that would put a secret in argv: refused, naming the safe ways, without echoing the value. */
export function refuseOnCommandLine(flag: string, fileFlag: string, envName: string): () => never {
  return () => {
    throw new UsageError(
      `${flag} is not accepted: other users can read the command line; use ${fileFlag} <path>, ${fileFlag} - (standard input) or ${envName}`,
    );
  };
}

export async function readImportedSecrets(
  flags: { secretKeyFile?: string; authTokenFile?: string },
  env: NodeJS.ProcessEnv,
  stdin: NodeJS.ReadableStream,
): Promise<{ secretKey: string; authToken: string }> {
  const sources: SecretSource[] = [
    { what: "secret key", fileFlag: "--secret-key-file", file: flags.secretKeyFile, envName: SECRET_KEY_ENV },
    { what: "auth token", fileFlag: "--auth-token-file", file: flags.authTokenFile, envName: AUTH_TOKEN_ENV },
  ];
  const fromStdin = sources.filter((source) => source.file === "-");
  const stdinLines = fromStdin.length > 0 ? await readLines(stdin) : [];
  if (stdinLines.length !== fromStdin.length) {
    throw new UsageError(
      fromStdin.length === 1
        ? `standard input must hold the ${fromStdin[0]?.what} on one line`
        : "standard input must hold the secret key on its first line and the auth token on its second",
    );
  }
  const [secretKey, authToken] = sources.map((source) => {
    const value = source.file === "-" ? stdinLines.shift() : readSource(source, env);
    if (!value) throw new UsageError(`the ${source.what} is empty`);
    return value;
  });
  return { secretKey: secretKey as string, authToken: authToken as string };
}

function readSource(source: SecretSource, env: NodeJS.ProcessEnv): string {
  if (source.file !== undefined) {
    try {
      return fs.readFileSync(source.file, "utf8").trim();
    } catch (error) {
      const reason = (error as { code?: string }).code ?? String(error);
      throw new UsageError(`${source.fileFlag}: cannot read ${source.file}: ${reason}`);
    }
  }
  const value = env[source.envName];
  if (value === undefined) {
    throw new UsageError(
      `the ${source.what} is missing: pass ${source.fileFlag} <path>, ${source.fileFlag} - (standard input) or set ${source.envName}`,
    );
  }
  return value.trim();
}

/** The non-empty lines of all of standard input, trimmed. */
async function readLines(stdin: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString("utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/**
 * `vetted login` and `vetted logout`: save or forget a credential under a profile name
 * (profiles.ts), for `vetted call --profile`. The API key and URL may come from flags; the secret
 * key and auth token never do (other users can read the command line): they come from
 * VETTED_SECRET_KEY / VETTED_AUTH_TOKEN, or are asked for on the terminal without echo, or are
 * read from standard input one per line when it is not a terminal. `--from-demo` takes all three
 * from the file `vetted demo` saves. Nothing is checked against a server: login works offline.
 */
import { type Command, Option } from "commander";
import { DEFAULT_URL, httpUrl, readCredentialsFile } from "./client-credentials.js";
import {
  DEFAULT_PROFILE,
  type Profile,
  profileName,
  profilesFile,
  removeProfile,
  saveProfile,
} from "./profiles.js";
import { askLines } from "./prompt.js";
import { UsageError } from "./usage-error.js";

interface LoginFlags {
  profile: string;
  url?: string;
  apiKey?: string;
  fromDemo?: string;
}

function refuseSecretFlag(flag: string, envName: string): () => never {
  return () => {
    throw new UsageError(
      `${flag} is not accepted: other users can read the command line; set ${envName} or type it when asked`,
    );
  };
}

export function registerLoginCommands(program: Command): void {
  const login = program
    .command("login")
    .description("save a credential under a profile name, for 'vetted call --profile'")
    .option("--profile <name>", "the profile to save", profileName, DEFAULT_PROFILE)
    .option(
      "--url <url>",
      `the Vetted server (VETTED_URL; default when left out: ${DEFAULT_URL})`,
      (value) => {
        httpUrl(value, "--url");
        return value;
      },
    )
    .option("--api-key <key>", "the credential's API key (VETTED_API_KEY, else asked for)")
    .option(
      "--from-demo <file>",
      "take the credential from the file 'vetted demo' saves (data/demo-credentials.json)",
    )
    // Refused with a message saying how to pass them safely, rather than as unknown options.
    .addOption(
      new Option("--secret-key <value>")
        .hideHelp()
        .argParser(refuseSecretFlag("--secret-key", "VETTED_SECRET_KEY")),
    )
    .addOption(
      new Option("--auth-token <value>")
        .hideHelp()
        .argParser(refuseSecretFlag("--auth-token", "VETTED_AUTH_TOKEN")),
    );
  login.action(async () => {
    const flags = login.opts() as LoginFlags;
    const profile = await credentialOf(flags, process.env);
    const file = profilesFile(process.env);
    saveProfile(file, flags.profile, profile);
    process.stdout.write(`saved profile "${flags.profile}" (API key ${profile.api_key}) in ${file}\n`);
  });

  const logout = program
    .command("logout")
    .description("forget a saved profile")
    .option("--profile <name>", "the profile to forget", profileName, DEFAULT_PROFILE);
  logout.action(() => {
    const { profile } = logout.opts() as { profile: string };
    const file = profilesFile(process.env);
    if (!removeProfile(file, profile)) throw new UsageError(`no profile "${profile}" in ${file}`);
    process.stdout.write(`removed profile "${profile}" from ${file}\n`);
  });
}

async function credentialOf(flags: LoginFlags, env: NodeJS.ProcessEnv): Promise<Profile> {
  const url = flags.url ?? (env.VETTED_URL || undefined);
  if (url !== undefined) httpUrl(url, "VETTED_URL");
  if (flags.fromDemo !== undefined) {
    const demo = readCredentialsFile(flags.fromDemo, "--from-demo");
    const text = (key: string) => {
      const value = demo[key];
      if (typeof value !== "string" || value === "") {
        throw new UsageError(`--from-demo ${flags.fromDemo} has no ${key}`);
      }
      return value;
    };
    return {
      ...(url && { url }),
      api_key: text("api_key"),
      secret_key: text("secret_key"),
      auth_token: text("auth_token"),
    };
  }
  const known = {
    api_key: flags.apiKey ?? (env.VETTED_API_KEY || undefined),
    secret_key: env.VETTED_SECRET_KEY || undefined,
    auth_token: env.VETTED_AUTH_TOKEN || undefined,
  };
  const questions = [
    { key: "api_key", label: "API key", secret: false },
    { key: "secret_key", label: "secret key", secret: true },
    { key: "auth_token", label: "auth token", secret: true },
  ] as const;
  const asked = questions.filter((question) => known[question.key] === undefined);
  const answers = await askLines(asked, process.stdin, process.stderr);
  const value = (key: (typeof questions)[number]["key"]) => {
    const found = known[key] ?? answers[asked.findIndex((question) => question.key === key)];
    if (!found || /\s/.test(found)) {
      throw new UsageError(`the ${questions.find((q) => q.key === key)?.label} is empty or holds spaces`);
    }
    return found;
  };
  return {
    ...(url && { url }),
    api_key: value("api_key"),
    secret_key: value("secret_key"),
    auth_token: value("auth_token"),
  };
}

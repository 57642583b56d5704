/** `vetted admin …`: the operator's commands. Each prints one JSON object with --json. */
import { type Command, Option } from "commander";
import { createOperator, importedCredentialProblem, type Operator } from "../admin/operator.js";
import { openMasterKeyring } from "../auth/master-keyring.js";
import { type Config, ConfigError, type ConfigFlags, parseConfig } from "../config.js";
import { systemClock } from "../domain/clock.js";
import { ENVIRONMENTS, type Environment } from "../domain/environment.js";
import { SIGNATURE_POLICIES, type SignaturePolicy } from "../domain/records.js";
import { assertPrivateDataDir } from "../private-files.js";
import { addDataSettingOptions, dataSettingsOf } from "./account-settings-flags.js";
import { registerDeliveryCommands } from "./admin-deliveries.js";
import { registerDocumentTypeCommands } from "./admin-document-types.js";
import { registerMasterKeyCommands } from "./admin-master-key.js";
import { registerSetupEntityCommands } from "./admin-setup-entities.js";
import { DatabaseUnavailableError } from "./failure.js";
import { listValue, nameValue } from "./flag-values.js";
import {
  AUTH_TOKEN_ENV,
  IMPORT_SECRETS_HELP,
  readImportedSecrets,
  refuseOnCommandLine,
  SECRET_KEY_ENV,
} from "./import-secrets.js";
import { formatList, type TableSpec } from "./table.js";
import { UsageError } from "./usage-error.js";

interface AdminFlags extends ConfigFlags {
  json?: boolean;
}

const NAME_HELP = "1–100 characters, at least one not a space";

// Flag values are checked by commander while it parses (these are its argParsers), so a bad
// value stops the command before it opens the database or touches the data directory.
function environment(value: string): Environment {
  if (!(ENVIRONMENTS as readonly string[]).includes(value))
    throw new UsageError(`--env must be sandbox or live, got "${value}"`);
  return value as Environment;
}

function allowMultiple(value: string): boolean {
  if (value === "true" || value === "false") return value === "true";
  throw new UsageError(`--allow-multiple-applications-per-email must be true or false, got "${value}"`);
}

function policy(value: string): SignaturePolicy {
  if (!(SIGNATURE_POLICIES as readonly string[]).includes(value)) {
    throw new UsageError(`--signature-policy must be strict or compat, got "${value}"`);
  }
  return value as SignaturePolicy;
}

function print(result: Record<string, unknown>, json: boolean | undefined, table?: TableSpec): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (table) {
    process.stdout.write(formatList(result, table));
    return;
  }
  for (const [key, value] of Object.entries(result)) {
    if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string")) {
      // A list setting (completion requirements, extra enumeration values): on one line.
      process.stdout.write(`${key}: ${value.join(", ")}\n`);
    } else if (Array.isArray(value)) {
      process.stdout.write(`${key}: ${value.length}\n`);
      for (const item of value) process.stdout.write(`  ${JSON.stringify(item)}\n`);
    } else {
      const shown = value === null ? "-" : typeof value === "object" ? JSON.stringify(value) : String(value);
      process.stdout.write(`${key}: ${shown}\n`);
    }
  }
}

/**
 * Opens the store and the master key (checked against the database), runs the action, prints
 * (a list command, as `table` for people), closes.
 */
function action<O extends object>(
  command: Command,
  run: (operator: Operator, options: O) => Promise<Record<string, unknown>>,
  table?: TableSpec,
): (options: O) => Promise<void> {
  return async (options: O) => {
    const flags = command.optsWithGlobals() as AdminFlags;
    const config = parseConfig(flags, process.env);
    assertPrivateDataDir(config);
    // Loaded here, not at the top: the database drivers are most of the CLI's start-up time,
    // and a command refused for a bad flag should not pay for them.
    const [{ openStore }, { isDatabaseUnavailable }] = await Promise.all([
      import("../store/open.js"),
      import("../store/availability.js"),
    ]);
    const store = await openMigrated(openStore, config);
    try {
      // A key that does not match the database stays a configuration error (exit 2); a database
      // that fails meanwhile, while the key is checked or the operation runs, is unavailable.
      const result = await (async () => {
        const secretBox = await openMasterKeyring(config, store);
        return run(createOperator({ store, secretBox, clock: systemClock }), options);
      })().catch((error: unknown) => {
        throw isDatabaseUnavailable(error) ? new DatabaseUnavailableError(error) : error;
      });
      print(result, flags.json, table);
    } finally {
      await store.close();
    }
  };
}

/** Opens and migrates the database; failing either means the command never reached its operation. */
async function openMigrated(openStore: typeof import("../store/open.js").openStore, config: Config) {
  let store: ReturnType<typeof openStore> | undefined;
  try {
    store = openStore(config.database);
    await store.migrate();
    return store;
  } catch (error) {
    await store?.close().catch(() => {});
    // A database file open to other users is the operator's to fix (exit 2), not an outage.
    throw error instanceof ConfigError ? error : new DatabaseUnavailableError(error);
  }
}

export function registerAdmin(program: Command, addConfigOptions: (c: Command) => Command): void {
  const admin = program
    .command("admin")
    .description("operator commands: organizations, accounts, credentials");
  const leaf = (parent: Command, name: string, description: string) =>
    addConfigOptions(parent.command(name).description(description)).option("--json", "print one JSON object");

  const org = admin.command("org").description("organizations");
  const orgCreate = leaf(org, "create", "create an organization").requiredOption(
    "--name <name>",
    NAME_HELP,
    nameValue,
  );
  orgCreate.action(
    action(orgCreate, async (op, o: { name: string }) => {
      const organization = await op.createOrganization(o.name);
      return { organization_id: organization.id, name: organization.name };
    }),
  );

  const orgList = leaf(org, "list", "list organizations, oldest first");
  orgList.action(
    action(orgList, async (op) => ({ organizations: await op.listOrganizations() }), {
      key: "organizations",
      columns: ["organization_id", "name", "created_at"],
      plural: "organizations",
    }),
  );

  const account = admin.command("account").description("accounts");
  // Every setting of data.md §3.6 is shown, in its order, between the account's own fields and its times.
  const presentAccount = (a: Awaited<ReturnType<Operator["createAccount"]>>) => ({
    account_id: a.id,
    organization_id: a.organization_id,
    environment: a.environment,
    name: a.name,
    allow_multiple_applications_per_email: a.allow_multiple_applications_per_email,
    completion_requirements: a.completion_requirements,
    locations_enabled: a.locations_enabled,
    max_owners_per_business: a.max_owners_per_business,
    max_bank_accounts_per_business: a.max_bank_accounts_per_business,
    max_bank_accounts_per_subject_record: a.max_bank_accounts_per_subject_record,
    minimum_ownership_percentage: a.minimum_ownership_percentage,
    bank_account_purposes: a.bank_account_purposes,
    location_bank_account_purposes: a.location_bank_account_purposes,
    issued_identifier_types: a.issued_identifier_types,
    created_at: a.created_at,
    updated_at: a.updated_at,
  });
  const accountCreate = addDataSettingOptions(
    leaf(account, "create", "create an account")
      .requiredOption("--org <organization_id>")
      .requiredOption("--env <environment>", "sandbox or live", environment)
      .option("--name <name>", NAME_HELP, nameValue)
      .option("--allow-multiple-applications-per-email <bool>", "true (default) or false", allowMultiple),
  );
  accountCreate.action(
    action(
      accountCreate,
      async (
        op,
        o: { org: string; env: Environment; name?: string; allowMultipleApplicationsPerEmail?: boolean },
      ) =>
        presentAccount(
          await op.createAccount({
            organizationId: o.org,
            environment: o.env,
            name: o.name,
            allowMultipleApplicationsPerEmail: o.allowMultipleApplicationsPerEmail,
            dataSettings: dataSettingsOf(o),
          }),
        ),
    ),
  );
  const accountUpdate = addDataSettingOptions(
    leaf(account, "update", "change an account's name or configuration")
      .requiredOption("--account <account_id>")
      .option("--name <name>", NAME_HELP, nameValue)
      .option("--allow-multiple-applications-per-email <bool>", "true or false", allowMultiple),
  );
  accountUpdate.action(
    action(
      accountUpdate,
      async (op, o: { account: string; name?: string; allowMultipleApplicationsPerEmail?: boolean }) =>
        presentAccount(
          await op.updateAccount(o.account, {
            name: o.name,
            allowMultipleApplicationsPerEmail: o.allowMultipleApplicationsPerEmail,
            dataSettings: dataSettingsOf(o),
          }),
        ),
    ),
  );
  const accountList = leaf(account, "list", "list accounts").option("--org <organization_id>");
  accountList.action(
    action(
      accountList,
      async (op, o: { org?: string }) => ({
        accounts: (await op.listAccounts(o.org)).map(presentAccount),
      }),
      {
        key: "accounts",
        columns: ["account_id", "organization_id", "environment", "name", "created_at"],
        plural: "accounts",
      },
    ),
  );

  const credential = admin.command("credential").description("API credentials");
  const credentialOptions = (c: Command) =>
    c
      .requiredOption("--org <organization_id>")
      .requiredOption("--env <environment>", "sandbox or live", environment)
      .option(
        "--accounts <ids>",
        "comma-separated account IDs (leave it out for all of the organization's)",
        listValue("--accounts", { omittedMeans: "every account of the organization" }),
      )
      .option("--signature-policy <policy>", "strict (default) or compat", policy)
      .option("--read-only", "may only call methods that do not write (and never unmask)")
      .option("--no-unmask", "may not pass show_sensitive_data: true")
      .option("--name <name>", NAME_HELP, nameValue);
  interface CredentialFlags {
    org: string;
    env: Environment;
    accounts?: string[];
    signaturePolicy?: SignaturePolicy;
    readOnly?: boolean;
    /** Commander's negatable flag: true unless --no-unmask was given. */
    unmask: boolean;
    name?: string;
  }
  const credentialOptionsOf = (o: CredentialFlags) => ({
    organizationId: o.org,
    environment: o.env,
    accountIds: o.accounts,
    signaturePolicy: o.signaturePolicy,
    readOnly: o.readOnly ?? false,
    canUnmask: o.unmask,
    name: o.name,
  });
  const credentialCreate = credentialOptions(
    leaf(credential, "create", "issue a credential (secrets shown once)"),
  );
  credentialCreate.action(
    action(credentialCreate, async (op, o: CredentialFlags) => ({
      ...(await op.createCredential(credentialOptionsOf(o))),
    })),
  );
  const credentialImport = credentialOptions(
    leaf(credential, "import", "register an existing credential set")
      .requiredOption("--api-key <key>")
      .option(
        "--secret-key-file <path>",
        `file with the Base64 secret key, - for standard input (or ${SECRET_KEY_ENV})`,
      )
      .option(
        "--auth-token-file <path>",
        `file with the auth token, - for standard input (or ${AUTH_TOKEN_ENV})`,
      )
      // Refused with a message saying how to pass them safely, rather than as unknown options.
      .addOption(
        new Option("--secret-key <value>")
          .hideHelp()
          .argParser(refuseOnCommandLine("--secret-key", "--secret-key-file", SECRET_KEY_ENV)),
      )
      .addOption(
        new Option("--auth-token <value>")
          .hideHelp()
          .argParser(refuseOnCommandLine("--auth-token", "--auth-token-file", AUTH_TOKEN_ENV)),
      )
      .addHelpText("after", IMPORT_SECRETS_HELP),
  );
  type ImportFlags = CredentialFlags & { apiKey: string; secretKeyFile?: string; authTokenFile?: string };
  const importAction = action(
    credentialImport,
    async (op, o: ImportFlags & { secrets: { secretKey: string; authToken: string } }) => {
      const issued = await op.importCredential({
        ...credentialOptionsOf(o),
        apiKey: o.apiKey,
        ...o.secrets,
      });
      // An import echoes nothing secret: the operator already holds the secrets.
      return {
        api_key: issued.api_key,
        signature_policy: issued.signature_policy,
        environment: issued.environment,
        can_unmask: issued.can_unmask,
      };
    },
  );
  credentialImport.action(async (o: ImportFlags) => {
    // Read and checked before the database is opened: a missing or malformed secret is a usage error.
    const secrets = await readImportedSecrets(o, process.env, process.stdin);
    const problem = importedCredentialProblem(o.env, { apiKey: o.apiKey, ...secrets });
    if (problem) throw new UsageError(problem);
    await importAction({ ...o, secrets });
  });
  const credentialRevoke = leaf(credential, "revoke", "revoke a credential").requiredOption(
    "--api-key <key>",
  );
  credentialRevoke.action(
    action(credentialRevoke, async (op, o: { apiKey: string }) => op.revokeCredential(o.apiKey)),
  );
  const credentialList = leaf(credential, "list", "list credentials (never secrets)").option(
    "--org <organization_id>",
  );
  credentialList.action(
    action(
      credentialList,
      async (op, o: { org?: string }) => ({ credentials: await op.listCredentials(o.org) }),
      {
        key: "credentials",
        columns: [
          ...["api_key", "organization_id", "environment", "name", "signature_policy"],
          ...["read_only", "can_unmask", "status", "created_at"],
        ],
        plural: "credentials",
      },
    ),
  );

  registerSetupEntityCommands(admin, leaf, action);
  registerMasterKeyCommands(admin, leaf);
  registerDeliveryCommands(admin, leaf, action);
  registerDocumentTypeCommands(admin, leaf, action);
}

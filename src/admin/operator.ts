/**
 * The operator's actions (organizations, accounts, credentials, account setup entities), used by
 * the `vetted admin` CLI, `vetted demo` and the tests. Secrets are generated here, sealed before
 * they reach the store, and returned exactly once.
 */
import { randomBytes } from "node:crypto";
import type { SecretBox } from "../auth/secret-box.js";
import { hashToken } from "../auth/secret-box.js";
import {
  type AccountDataSettings,
  defaultAccountDataSettings,
  settingsProblem,
} from "../domain/account-settings.js";
import type { Clock } from "../domain/clock.js";
import { seededCatalogue } from "../domain/document-types.js";
import { type Environment, environmentPrefix } from "../domain/environment.js";
import { newId, randomBase62 } from "../domain/ids.js";
import type { Account, CredentialRecord, SignaturePolicy } from "../domain/records.js";
import type { Store } from "../store/store.js";
import { createDeliveryOperations } from "./deliveries.js";
import { createDocumentTypeOperations } from "./document-types.js";
import { createSetupListOperations } from "./setup-lists.js";

/**
 * What went wrong, for the CLI's exit status and its JSON error code: `invalid_value` is a value the
 * operator must correct (a usage error, exit 2); the others are exit 1.
 */
export type OperatorErrorCode = "invalid_value" | "not_found" | "conflict" | "rejected";

export class OperatorError extends Error {
  constructor(
    message: string,
    readonly code: OperatorErrorCode = "rejected",
  ) {
    super(message);
    this.name = "OperatorError";
  }
}

const NAME_MAX_CHARACTERS = 100;

/** The settings a patch names: a key given as undefined means "not given", never "unset". */
function withoutUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Why a name (of an organization, account, credential or setup entity) is refused, if it is. */
export function nameProblem(name: string): string | undefined {
  // Characters are code points, so a name of 100 emoji is as long as one of 100 letters.
  const length = [...name].length;
  if (length < 1 || length > NAME_MAX_CHARACTERS || !/\S/.test(name)) {
    return `must be 1–${NAME_MAX_CHARACTERS} characters with at least one non-space, got ${
      length === 0 ? "an empty value" : length > NAME_MAX_CHARACTERS ? `${length} characters` : "only spaces"
    }`;
  }
  return undefined;
}

export interface ImportedSecrets {
  apiKey: string;
  secretKey: string;
  authToken: string;
}

export interface CredentialOptions {
  organizationId: string;
  environment: Environment;
  accountIds?: string[];
  signaturePolicy?: SignaturePolicy;
  readOnly?: boolean;
  /** false: refused `show_sensitive_data: true` (`--no-unmask`); a read-only credential never may. */
  canUnmask?: boolean;
  name?: string;
}

export interface IssuedCredential {
  api_key: string;
  secret_key: string;
  auth_token: string;
  signature_policy: SignaturePolicy;
  environment: Environment;
  can_unmask: boolean;
}

const API_KEY_PATTERN = /^(sb|lv)_[0-9A-Za-z]{1,40}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why an imported credential set is malformed, if it is; the messages never quote a secret. */
export function importedCredentialProblem(
  environment: Environment,
  secrets: ImportedSecrets,
): string | undefined {
  if (!API_KEY_PATTERN.test(secrets.apiKey) || !secrets.apiKey.startsWith(environmentPrefix(environment))) {
    return `--api-key must be ${environmentPrefix(environment)} followed by 1–40 Base62 characters`;
  }
  if (!BASE64_PATTERN.test(secrets.secretKey) || Buffer.from(secrets.secretKey, "base64").length < 16) {
    return "the secret key must be standard Base64 of at least 16 bytes";
  }
  if (!/^[\x21-\x7e]{16,256}$/.test(secrets.authToken)) {
    return "the auth token must be 16–256 printable ASCII characters without spaces";
  }
  return undefined;
}

/** The command-line flag of a data setting: `max_owners_per_business` is `--max-owners-per-business`. */
export function settingFlag(setting: keyof AccountDataSettings): string {
  return `--${setting.replaceAll("_", "-")}`;
}

/**
 * Refuses a change of data settings the way the CLI reports it: a malformed value is the
 * operator's usage error (exit 2), a well-formed but refused one (an unknown or repeated key, a
 * clash with a built-in value) exit 1.
 */
function checkDataSettings(patch: Partial<AccountDataSettings>): void {
  const problem = settingsProblem(patch);
  if (!problem) return;
  throw new OperatorError(
    `${settingFlag(problem.setting)}: ${problem.message}`,
    problem.kind === "malformed" ? "invalid_value" : "rejected",
  );
}

export function createOperator(deps: { store: Store; secretBox: SecretBox; clock: Clock }) {
  const { store, secretBox, clock } = deps;
  const now = () => clock.now().toISOString();

  async function requireOrganization(id: string) {
    if (!(await store.getOrganization(id)))
      throw new OperatorError(`organization ${id} does not exist`, "not_found");
  }

  async function requireAccount(id: string): Promise<Account> {
    const account = await store.getAccount(id);
    if (!account) throw new OperatorError(`account ${id} does not exist`, "not_found");
    return account;
  }

  function checkName(name: string | undefined) {
    const problem = name === undefined ? undefined : nameProblem(name);
    if (problem) throw new OperatorError(`--name ${problem}`, "invalid_value");
  }

  async function checkAccountList(options: CredentialOptions) {
    // An empty list must never mean "every account": that is said by giving no list at all.
    if (options.accountIds?.length === 0) {
      throw new OperatorError(
        "--accounts must not be empty: leave it out for every account",
        "invalid_value",
      );
    }
    for (const id of options.accountIds ?? []) {
      const account = await requireAccount(id);
      if (account.organization_id !== options.organizationId || account.environment !== options.environment) {
        throw new OperatorError(
          `account ${id} is not a ${options.environment} account of ${options.organizationId}`,
        );
      }
    }
  }

  async function storeCredential(
    options: CredentialOptions,
    secrets: Pick<IssuedCredential, "api_key" | "secret_key" | "auth_token">,
  ) {
    checkName(options.name);
    await requireOrganization(options.organizationId);
    await checkAccountList(options);
    if (await store.getCredential(secrets.api_key))
      throw new OperatorError(`API key ${secrets.api_key} already exists`, "conflict");
    const record: CredentialRecord = {
      api_key: secrets.api_key,
      organization_id: options.organizationId,
      environment: options.environment,
      name: options.name ?? null,
      secret_key_sealed: secretBox.seal(Buffer.from(secrets.secret_key, "base64"), secrets.api_key),
      auth_token_hash: hashToken(secrets.auth_token),
      signature_policy: options.signaturePolicy ?? "strict",
      read_only: options.readOnly ?? false,
      can_unmask: !(options.readOnly ?? false) && (options.canUnmask ?? true),
      account_ids: options.accountIds ?? null,
      created_at: now(),
      revoked_at: null,
    };
    await store.transaction(async (tx) => {
      if (!(await tx.holdMasterKeyCheck(secretBox.keyId))) {
        throw new OperatorError(
          "the master key was rotated while this command ran; nothing was stored, run it again with the new key",
        );
      }
      await tx.insertCredential(record);
    });
    return {
      ...secrets,
      signature_policy: record.signature_policy,
      environment: record.environment,
      can_unmask: record.can_unmask,
    };
  }

  return {
    async createOrganization(name: string) {
      checkName(name);
      const organization = { id: newId("organization"), name, created_at: now() };
      await store.insertOrganization(organization);
      return organization;
    },

    /** A new account has the default data settings, but for those `dataSettings` names. */
    async createAccount(options: {
      organizationId: string;
      environment: Environment;
      name?: string;
      allowMultipleApplicationsPerEmail?: boolean;
      dataSettings?: Partial<AccountDataSettings>;
    }): Promise<Account> {
      checkName(options.name);
      checkDataSettings(options.dataSettings ?? {});
      await requireOrganization(options.organizationId);
      const at = now();
      const account: Account = {
        id: newId(options.environment === "sandbox" ? "sandbox" : "live"),
        organization_id: options.organizationId,
        environment: options.environment,
        name: options.name ?? null,
        allow_multiple_applications_per_email: options.allowMultipleApplicationsPerEmail ?? true,
        created_at: at,
        updated_at: at,
        ...defaultAccountDataSettings(),
        ...withoutUndefined(options.dataSettings ?? {}),
      };
      // The catalogue comes with the account: no account is ever seen without one.
      await store.transaction(async (tx) => {
        await tx.insertAccount(account);
        await tx.insertAccountDocumentTypes(seededCatalogue(account.id, at));
      });
      return account;
    },

    /** Changes what the patch names; a list setting given replaces the stored list. */
    async updateAccount(
      id: string,
      patch: {
        name?: string;
        allowMultipleApplicationsPerEmail?: boolean;
        dataSettings?: Partial<AccountDataSettings>;
      },
    ) {
      checkName(patch.name);
      checkDataSettings(patch.dataSettings ?? {});
      await requireAccount(id);
      const account = await store.updateAccount(id, {
        ...withoutUndefined(patch.dataSettings ?? {}),
        name: patch.name,
        allow_multiple_applications_per_email: patch.allowMultipleApplicationsPerEmail,
        updated_at: now(),
      });
      if (!account) throw new OperatorError(`account ${id} does not exist`, "not_found");
      return account;
    },

    /** An unknown organization is an error, not an empty list: a mistyped ID must not look like "none". */
    async listAccounts(organizationId?: string) {
      if (organizationId !== undefined) await requireOrganization(organizationId);
      return store.listAccounts(organizationId);
    },

    createCredential(options: CredentialOptions): Promise<IssuedCredential> {
      return storeCredential(options, {
        api_key: environmentPrefix(options.environment) + randomBase62(22),
        secret_key: randomBytes(33).toString("base64"),
        auth_token: randomBase62(58),
      });
    },

    /** Registers a credential set issued elsewhere (to run a Kompliant client unchanged). */
    async importCredential(options: CredentialOptions & ImportedSecrets): Promise<IssuedCredential> {
      const problem = importedCredentialProblem(options.environment, options);
      if (problem) throw new OperatorError(problem, "invalid_value");
      return storeCredential(options, {
        api_key: options.apiKey,
        secret_key: options.secretKey,
        auth_token: options.authToken,
      });
    },

    async revokeCredential(apiKey: string) {
      const credential = await store.revokeCredential(apiKey, now());
      if (!credential) throw new OperatorError(`API key ${apiKey} does not exist`, "not_found");
      return { api_key: credential.api_key, revoked_at: credential.revoked_at };
    },

    /** Listing never includes secrets: no secret key, no token, not even their hashes. */
    async listCredentials(organizationId?: string) {
      if (organizationId !== undefined) await requireOrganization(organizationId);
      return (await store.listCredentials(organizationId)).map((c) => ({
        api_key: c.api_key,
        organization_id: c.organization_id,
        environment: c.environment,
        name: c.name,
        signature_policy: c.signature_policy,
        read_only: c.read_only,
        can_unmask: c.can_unmask,
        account_ids: c.account_ids,
        status: c.revoked_at === null ? "active" : "revoked",
        created_at: c.created_at,
        revoked_at: c.revoked_at,
      }));
    },

    async createPricingModel(accountId: string, name: string) {
      checkName(name);
      await requireAccount(accountId);
      const entity = { id: newId("pricingModel"), account_id: accountId, name, created_at: now() };
      await store.insertPricingModel(entity);
      return { pricing_model_id: entity.id };
    },

    async createEquipmentCollection(accountId: string, name: string) {
      checkName(name);
      await requireAccount(accountId);
      const entity = { id: newId("equipmentCollection"), account_id: accountId, name, created_at: now() };
      await store.insertEquipmentCollection(entity);
      return { equipment_collection_id: entity.id };
    },

    ...createDeliveryOperations(deps),
    ...createDocumentTypeOperations(deps),
    ...createSetupListOperations(deps),
  };
}

export type Operator = ReturnType<typeof createOperator>;

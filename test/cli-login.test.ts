/**
 * `vetted login` / `logout` and the profiles file: where it is, its modes (0600 in a 0700
 * directory), that secrets never come from argv, and the precedence `call` resolves a credential
 * with (flags > environment > profile > --credentials-file). The precedence is checked in-process
 * on clientOptionsOf, field by field; `call --profile` then once against a real server per database.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { clientOptionsOf } from "../src/cli/client-credentials.js";
import { assertOneLineFailure, cleanEnv, runCli, threeAtATime } from "./support/cli.js";
import { databaseKinds, scratchDirs } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

/** Temporary directories of this file, removed when it ends. */
const scratchDir = scratchDirs();

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

function readProfiles(file: string): Record<string, Record<string, string>> {
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { profiles: Record<string, Record<string, string>> })
    .profiles;
}

describe("vetted login and logout", { concurrency: 3 }, () => {
  it("saves the profile under XDG_CONFIG_HOME, file 0600 in a new directory 0700, secrets from standard input", async () => {
    const configHome = scratchDir("vetted-login-");
    const env = cleanEnv({ XDG_CONFIG_HOME: configHome });
    const result = await runCli(
      ["login", "--profile", "work", "--api-key", "sb_workKey", "--url", "http://127.0.0.1:19301"],
      env,
      { input: "c2VjcmV0LWtleQ==\ntoken-1\n" },
    );
    assert.equal(result.code, 0, result.stderr);
    const file = path.join(configHome, "vetted", "profiles.json");
    assert.equal(result.stdout, `saved profile "work" (API key sb_workKey) in ${file}\n`);
    assert.doesNotMatch(result.stdout + result.stderr, /c2VjcmV0|token-1/, "no secret is printed");
    assert.equal(modeOf(file), 0o600);
    assert.equal(modeOf(path.dirname(file)), 0o700);
    assert.deepEqual(readProfiles(file), {
      work: {
        url: "http://127.0.0.1:19301",
        api_key: "sb_workKey",
        secret_key: "c2VjcmV0LWtleQ==",
        auth_token: "token-1",
      },
    });
    assert.deepEqual(
      fs.readdirSync(path.dirname(file)),
      ["profiles.json"],
      "the rewrite left no temporary file",
    );
  });

  it("--from-demo and the environment fill a profile; other profiles are kept; logout forgets one", async () => {
    const dir = scratchDir("vetted-login-");
    const file = path.join(dir, "profiles.json");
    const demo = path.join(dir, "demo-credentials.json");
    fs.writeFileSync(
      demo,
      JSON.stringify({ api_key: "sb_demo", secret_key: "ZGVtbw==", auth_token: "demo-token" }),
    );
    const env = cleanEnv({ VETTED_PROFILES_FILE: file });
    const fromDemo = await runCli(["login", "--from-demo", demo], env);
    assert.equal(fromDemo.code, 0, fromDemo.stderr);
    const fromEnv = await runCli(["login", "--profile", "ci"], {
      ...env,
      VETTED_API_KEY: "sb_ci",
      VETTED_SECRET_KEY: "Y2k=",
      VETTED_AUTH_TOKEN: "ci-token",
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.deepEqual(readProfiles(file), {
      default: { api_key: "sb_demo", secret_key: "ZGVtbw==", auth_token: "demo-token" },
      ci: { api_key: "sb_ci", secret_key: "Y2k=", auth_token: "ci-token" },
    });
    assert.equal(modeOf(file), 0o600, "a rewrite keeps the mode");

    const [logout, again] = [
      await runCli(["logout", "--profile", "ci"], env),
      await runCli(["logout", "--profile", "ci"], env),
    ];
    assert.equal(logout.code, 0, logout.stderr);
    assert.deepEqual(Object.keys(readProfiles(file)), ["default"]);
    assertOneLineFailure(again, 2, /no profile "ci" in /);
  });

  it("refuses secrets on the command line, short standard input, a bad name, and an open profiles file", async () => {
    const dir = scratchDir("vetted-login-");
    const file = path.join(dir, "profiles.json");
    const env = cleanEnv({ VETTED_PROFILES_FILE: file });
    const [onArgv, tokenOnArgv, shortInput, badName] = await threeAtATime([
      () => runCli(["login", "--api-key", "sb_x", "--secret-key", "c2VjcmV0"], env),
      () => runCli(["login", "--api-key", "sb_x", "--auth-token", "t"], env),
      () => runCli(["login", "--api-key", "sb_x"], env, { input: "only-the-secret\n" }),
      () => runCli(["login", "--profile", "../x"], env),
    ]);
    assertOneLineFailure(onArgv, 2, /--secret-key is not accepted: other users can read the command line/);
    assert.doesNotMatch(onArgv.stderr, /c2VjcmV0/, "the refused value is not echoed");
    assertOneLineFailure(tokenOnArgv, 2, /--auth-token is not accepted/);
    assertOneLineFailure(shortInput, 2, /standard input must hold, one per line: secret key, auth token/);
    assertOneLineFailure(badName, 2, /--profile must be 1–64 letters/);
    assert.equal(fs.existsSync(file), false, "nothing was saved");

    fs.writeFileSync(file, JSON.stringify({ profiles: {} }), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const open = await runCli(["call", "meta.checkVersion", "--url", "http://127.0.0.1:9"], env);
    assertOneLineFailure(open, 2, /profiles\.json is open to other users \(mode 0644\); run chmod 600/);
  });
});

describe("which credential a client command uses", () => {
  const dir = scratchDir("vetted-precedence-");
  const profiles = path.join(dir, "profiles.json");
  fs.writeFileSync(
    profiles,
    JSON.stringify({
      profiles: {
        default: {
          url: "http://default.test",
          api_key: "k_default",
          secret_key: "s_default",
          auth_token: "t_default",
        },
        work: { url: "http://work.test", api_key: "k_work", secret_key: "s_work", auth_token: "t_work" },
      },
    }),
    { mode: 0o600 },
  );
  const credentialsFile = path.join(dir, "demo.json");
  fs.writeFileSync(
    credentialsFile,
    JSON.stringify({ api_key: "k_file", secret_key: "s_file", auth_token: "t_file" }),
  );
  const noEnv = { VETTED_PROFILES_FILE: profiles };

  it("flags beat the environment, which beats the profile, which beats --credentials-file, field by field", () => {
    assert.deepEqual(
      clientOptionsOf(
        { apiKey: "k_flag", url: "http://flag.test", profile: "work", credentialsFile },
        { ...noEnv, VETTED_API_KEY: "k_env", VETTED_SECRET_KEY: "s_env", VETTED_URL: "http://env.test" },
      ),
      { baseUrl: "http://flag.test", apiKey: "k_flag", secretKey: "s_env", authToken: "t_work" },
    );
    assert.deepEqual(clientOptionsOf({ profile: "work", credentialsFile }, noEnv), {
      baseUrl: "http://work.test",
      apiKey: "k_work",
      secretKey: "s_work",
      authToken: "t_work",
    });
  });

  it("without --profile: VETTED_PROFILE, else the default profile, else --credentials-file", () => {
    assert.equal(clientOptionsOf({}, { ...noEnv, VETTED_PROFILE: "work" }).apiKey, "k_work");
    assert.equal(clientOptionsOf({ credentialsFile }, noEnv).apiKey, "k_default");
    const none = { VETTED_PROFILES_FILE: path.join(dir, "absent.json") };
    assert.deepEqual(clientOptionsOf({ credentialsFile }, none), {
      baseUrl: "http://127.0.0.1:8080",
      apiKey: "k_file",
      secretKey: "s_file",
      authToken: "t_file",
    });
  });

  it("a profile named but not saved is a usage error; the default one may be absent", () => {
    assert.throws(
      () => clientOptionsOf({ profile: "nope" }, noEnv),
      /no profile "nope" in .*vetted login --profile nope/,
    );
    assert.throws(
      () => clientOptionsOf({}, { VETTED_PROFILES_FILE: path.join(dir, "absent.json") }),
      /a credential is needed/,
    );
  });
});

for (const kind of databaseKinds()) {
  describe(`vetted call --profile against a server [${kind}]`, () => {
    const server = useTestServer(kind);

    it("a saved profile signs the call; an environment variable overrides its field", async () => {
      const fixture = await server().fixture();
      const file = path.join(scratchDir("vetted-login-"), "profiles.json");
      const env = cleanEnv({ VETTED_PROFILES_FILE: file });
      const login = await runCli(["login", "--profile", "test", "--url", server().url], env, {
        input: `${fixture.credential.api_key}\n${fixture.credential.secret_key}\n${fixture.credential.auth_token}\n`,
      });
      assert.equal(login.code, 0, login.stderr);
      const body = JSON.stringify({
        account_id: fixture.account.id,
        workflow: { type: "ACCOUNT_PROVISIONING" },
      });
      const [withProfile, overridden] = await Promise.all([
        runCli(["call", "workflow.create", "--profile", "test", "--json", "--data", body], env),
        runCli(["call", "workflow.create", "--profile", "test", "--json", "--data", body], {
          ...env,
          VETTED_AUTH_TOKEN: "not-the-token",
        }),
      ]);
      assert.equal(withProfile.code, 0, withProfile.stderr);
      assert.equal((JSON.parse(withProfile.stdout) as { meta: { status: string } }).meta.status, "SUCCESS");
      assert.equal(overridden.code, 1, "the environment's token was used, and refused");
      const refused = JSON.parse(overridden.stdout) as { errors: { code: string }[] };
      assert.equal(refused.errors[0]?.code, "AUTHENTICATION_FAILED");
    });
  });
}

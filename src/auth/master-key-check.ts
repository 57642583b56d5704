/**
 * The key check: a fixed value sealed under the master key and stored in the database at first
 * start. A process that cannot open it holds another key than the one the database's secrets were
 * sealed under, and refuses to start rather than fail every signed request.
 */
import type { SecretBox } from "./secret-box.js";

const CHECK_PLAINTEXT = Buffer.from("vetted master key check", "utf8");
const CHECK_BOUND_TO = "master_key_check";

export function sealKeyCheck(box: SecretBox): string {
  return box.seal(CHECK_PLAINTEXT, CHECK_BOUND_TO);
}

export function opensKeyCheck(box: SecretBox, sealed: string): boolean {
  try {
    return box.open(sealed, CHECK_BOUND_TO).equals(CHECK_PLAINTEXT);
  } catch {
    return false;
  }
}

export function opensSecret(box: SecretBox, secret: { sealed: string; boundTo: string }): boolean {
  try {
    box.open(secret.sealed, secret.boundTo);
    return true;
  } catch {
    return false;
  }
}

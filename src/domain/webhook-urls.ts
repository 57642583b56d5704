/**
 * The URL rules of a webhook endpoint (webhooks.md "Endpoints"): an absolute https:// URL of at
 * most 2,048 characters with a host and no credentials; with `--allow-insecure-webhooks`, also
 * http:// to this machine. The URL is kept as given (uniqueness is on the exact string), so it is
 * judged as given too: no surrounding blanks that a parser would quietly trim.
 */

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** The hosts an http:// endpoint may name when insecure webhooks are allowed (as parsed). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** What is wrong with the URL, as the end of "config.url …", or undefined when it is acceptable. */
export function webhookUrlProblem(url: string, allowInsecure: boolean): string | undefined {
  if (url.length > WEBHOOK_URL_MAX_LENGTH) return `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  // Blanks and control characters: WHATWG parsing would drop or encode them, so the stored string
  // would not be the URL called.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return "must not contain spaces or control characters";
  const scheme = /^(https?):\/\//.exec(url)?.[1];
  if (scheme === undefined) return "must be an absolute https:// URL";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "must be an absolute https:// URL";
  }
  if (parsed.hostname === "") return "must name a host";
  if (parsed.username !== "" || parsed.password !== "")
    return "must not contain credentials (user:password@)";
  if (scheme === "https") return undefined;
  if (!allowInsecure) return "must be an https:// URL";
  if (!LOOPBACK_HOSTS.has(parsed.hostname))
    return "may be http:// only on localhost, 127.0.0.1 or [::1] (--allow-insecure-webhooks)";
  return undefined;
}

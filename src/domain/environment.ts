export const ENVIRONMENTS = ["sandbox", "live"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Account IDs and API keys carry their environment in the prefix (`sb_` / `lv_`). */
export function environmentPrefix(env: Environment): "sb_" | "lv_" {
  return env === "sandbox" ? "sb_" : "lv_";
}

export const LATEST_VERSION = "2025-03-24";
export const SUPPORTED_VERSIONS: readonly string[] = [LATEST_VERSION];

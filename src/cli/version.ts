/** The package's version, read from package.json at run time: the same file from src/cli and dist/cli. */
import fs from "node:fs";

export function packageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

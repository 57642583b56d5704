/** Writes docs/errors.md and the README's error summary from the method declarations. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ERRORS_PATH, README_PATH, readmeWithSummary, renderErrors } from "./errors-table.js";

mkdirSync(path.dirname(ERRORS_PATH), { recursive: true });
writeFileSync(ERRORS_PATH, renderErrors());
writeFileSync(README_PATH, readmeWithSummary(readFileSync(README_PATH, "utf8")));
console.log(`wrote ${ERRORS_PATH} and the error table in ${README_PATH}`);

/** Writes docs/workflow-errors.md and the README's error summary from the workflow methods' declarations. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  README_PATH,
  readmeWithSummary,
  renderWorkflowErrors,
  WORKFLOW_ERRORS_PATH,
} from "./workflow-errors-table.js";

mkdirSync(path.dirname(WORKFLOW_ERRORS_PATH), { recursive: true });
writeFileSync(WORKFLOW_ERRORS_PATH, renderWorkflowErrors());
writeFileSync(README_PATH, readmeWithSummary(readFileSync(README_PATH, "utf8")));
console.log(`wrote ${WORKFLOW_ERRORS_PATH} and the error table in ${README_PATH}`);

/** Writes docs/workflow-errors.md from the workflow methods' declarations. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderWorkflowErrors, WORKFLOW_ERRORS_PATH } from "./workflow-errors-table.js";

mkdirSync(path.dirname(WORKFLOW_ERRORS_PATH), { recursive: true });
writeFileSync(WORKFLOW_ERRORS_PATH, renderWorkflowErrors());
console.log(`wrote ${WORKFLOW_ERRORS_PATH}`);

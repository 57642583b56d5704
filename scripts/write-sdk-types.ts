/** Writes the SDK's method types (packages/client/src/methods.gen.ts) from the method declarations. */
import { writeFileSync } from "node:fs";
import { renderSdkTypes, SDK_TYPES_PATH } from "./sdk-types.js";

writeFileSync(SDK_TYPES_PATH, await renderSdkTypes());
console.log(`wrote ${SDK_TYPES_PATH}`);

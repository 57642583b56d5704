import { writeFileSync } from "node:fs";
import { openApiDocument, renderOpenApi } from "../src/openapi-document.js";

writeFileSync("openapi.json", renderOpenApi(await openApiDocument()));
console.log("wrote openapi.json");

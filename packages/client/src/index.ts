/** @vetted/client: the typed client for the Vetted (and Kompliant) API. */
export * from "./ksig1.js";

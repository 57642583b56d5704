/**
 * Value formats, enumerations and structured values of subject-record data (data.md §2.4–§2.5),
 * and the cross-field rules a declaration's `refine` reports. See docs/data.md "Value formats".
 */
export * from "./issues.js";
export * from "./objects.js";
export { formatMessage, registerValueFormats, VALUE_FORMATS, type ValueFormatName } from "./rules.js";
export * from "./values.js";

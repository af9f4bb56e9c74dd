/**
 * The public data of the bot as a portable JSON document (see public-data/format.ts): its format,
 * export and import, each in its own module. The command-line tools live in src/tools.
 */
export * from "./public-data/format.js";
export { exportPublicData } from "./public-data/export.js";
export { formatImportSummary, importPublicData } from "./public-data/import.js";

export * from "./dependency-graph.js";
export type { ImportKind, ImportRecord, SourceLanguage } from "./import-record.js";
export { languageOf } from "./import-record.js";
export type { Resolution } from "./js-resolver.js";
export type { ResolverOptions } from "./module-resolver.js";
export { scanImports } from "./scan-imports.js";

export * from "./engine.js";
export * from "./errors.js";
export * from "./workspace/workspace-roots.js";

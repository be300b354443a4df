export * from "./engine.js";
export * from "./errors.js";
export * from "./files/path-sandbox.js";
export * from "./workspace/workspace-roots.js";

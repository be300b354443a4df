export * from "./byte-lru.js";
export * from "./memory-pressure.js";

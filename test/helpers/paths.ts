import { fileURLToPath } from "node:url";

/** Compiled entry points the tests start as real processes. */
export const RUNE_MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
export const FIXTURE_MAIN = fileURLToPath(new URL("../fixtures/conformance-server.js", import.meta.url));

import { fileURLToPath } from "node:url";

/** The real peers installed into test-tools/ by scripts/install-test-tools.mjs (run by `npm test`). */
const root = fileURLToPath(new URL("../../../test-tools/node_modules/", import.meta.url));

export const NODE_22 = `${root}node/bin/node`;
export const CONFORMANCE = `${root}@modelcontextprotocol/conformance/dist/index.js`;
export const CONFORMANCE_NEXT = `${root}conformance-next/dist/index.js`;
export const INSPECTOR_CLI = `${root}@modelcontextprotocol/inspector-cli/build/index.js`;

#!/usr/bin/env node
// Installs test-tools/ (Node 22, the MCP conformance suite, the MCP Inspector CLI, the reference
// filesystem server) from the npm registry, once per change of its lockfile. They are real peers
// the tests and benchmarks drive, kept apart from the main dependency tree because the conformance
// suite needs Node 22 and the peers bring their own copies of the SDK.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../test-tools/", import.meta.url));
const lock = readFileSync(`${dir}package-lock.json`);
const want = createHash("sha256").update(lock).digest("hex");
const stampFile = `${dir}node_modules/.rune-installed`;

if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === want) process.exit(0);

console.error(
  "install-test-tools: installing test-tools/ (Node 22, conformance suite, Inspector CLI, server-filesystem)",
);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
  cwd: dir,
  stdio: "inherit",
});
if (result.status !== 0) {
  console.error(`install-test-tools: npm ci in ${dir} failed (exit ${result.status})`);
  process.exit(1);
}
writeFileSync(stampFile, want);

#!/usr/bin/env node
// Installs test-tools/ (Node 22, the MCP conformance suite, the MCP Inspector CLI, the reference
// filesystem server) from the npm registry, once per change of its lockfile. They are real peers
// the tests and benchmarks drive, kept apart from the main dependency tree because the conformance
// suite needs Node 22 and the peers bring their own copies of the SDK.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Headless Neovim, the real editor the Neovim adapter's tests drive. Debian's package (0.7.2)
// is the oldest Neovim Rune supports; CI runs as root and installs it, others are told how.
if (spawnSync("nvim", ["--version"]).error !== undefined) {
  if (process.getuid?.() !== 0) {
    console.error("install-test-tools: nvim is not installed: run `sudo apt-get install neovim`");
    process.exit(1);
  }
  console.error("install-test-tools: installing Debian's neovim (apt-get install neovim)");
  const install = () => spawnSync("apt-get", ["install", "-y", "-qq", "neovim"], { stdio: "inherit" });
  // A fresh image has no package lists yet: fetch them once and try again.
  if (install().status !== 0) {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    if (install().status !== 0) {
      console.error("install-test-tools: apt-get install neovim failed");
      process.exit(1);
    }
  }
}

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

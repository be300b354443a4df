#!/usr/bin/env node
// Installs test-tools/ (Node 22, the MCP conformance suite, the MCP Inspector CLI, the reference
// filesystem server) from the npm registry, once per change of its lockfile. They are real peers
// the tests and benchmarks drive, kept apart from the main dependency tree because the conformance
// suite needs Node 22 and the peers bring their own copies of the SDK.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Debian packages of the real peers tests drive: headless Neovim (0.7.2, the oldest Neovim Rune
// supports) for the Neovim adapter, and Chromium for the dashboard (driven by playwright-core,
// which never downloads a browser of its own). CI runs as root and installs them; others are told how.
const debian = [
  { bin: "nvim", pkg: "neovim" },
  { bin: "chromium", pkg: "chromium" },
];
const missing = debian.filter((d) => spawnSync(d.bin, ["--version"]).error !== undefined).map((d) => d.pkg);
if (missing.length > 0) {
  if (process.getuid?.() !== 0) {
    console.error(
      `install-test-tools: missing Debian packages: run \`sudo apt-get install ${missing.join(" ")}\``,
    );
    process.exit(1);
  }
  console.error(`install-test-tools: installing Debian's ${missing.join(", ")} (apt-get install)`);
  const install = () => spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit" });
  // A fresh image has no package lists yet: fetch them once and try again.
  if (install().status !== 0) {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    if (install().status !== 0) {
      console.error(`install-test-tools: apt-get install ${missing.join(" ")} failed`);
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

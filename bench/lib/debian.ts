import { execFileSync, spawnSync } from "node:child_process";

/**
 * Makes sure `command` is on PATH, installing Debian's `pkg` as root if it is not (the anchors
 * benchmarks compare against: ripgrep, Universal Ctags, wrk).
 */
export function ensureDebianTool(command: string, pkg: string, versionFlag = "--version"): void {
  if (spawnSync(command, [versionFlag]).error === undefined) return;
  if (process.getuid?.() !== 0)
    throw new Error(`${command} is not installed: run \`sudo apt-get install ${pkg}\``);
  console.log(`installing ${pkg} from Debian's packages (apt-get install ${pkg})`);
  execFileSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "inherit" });
}

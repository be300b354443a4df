import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Real source for the workspace benchmarks: pinned npm packages, fetched from the registry with
 * `npm pack` and unpacked, about 170 MB in 6,000 files (TypeScript's compiler, three.js, the
 * Monaco editor, RxJS, lodash). Pinned versions make every run search the same bytes.
 */
const PACKAGES = [
  "typescript@5.9.3",
  "three@0.170.0",
  "monaco-editor@0.52.0",
  "rxjs@7.8.1",
  "lodash@4.17.21",
];

const FOLDER = fileURLToPath(new URL("../../../.bench-corpus/", import.meta.url));
const STAMP = join(FOLDER, ".packages");

/** The corpus folder, built on first use (a minute or so) and reused while the list is unchanged. */
export function ensureCorpus(): string {
  const want = PACKAGES.join("\n");
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === want) return asRepository();
  console.log(`building the benchmark corpus in ${FOLDER} (npm pack ${PACKAGES.join(" ")})`);
  rmSync(FOLDER, { recursive: true, force: true });
  const tarballs = join(FOLDER, ".tarballs");
  mkdirSync(tarballs, { recursive: true });
  execFileSync("npm", ["pack", "--silent", "--pack-destination", tarballs, ...PACKAGES], { stdio: "ignore" });
  for (const tarball of readdirSync(tarballs)) {
    const target = join(FOLDER, tarball.replace(/\.tgz$/, ""));
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", join(tarballs, tarball), "-C", target, "--strip-components=1"]);
  }
  rmSync(tarballs, { recursive: true, force: true });
  writeFileSync(STAMP, want);
  return asRepository();
}

/**
 * Marks the corpus as a repository's top (an empty `.git` folder), as a workspace a user serves
 * usually is: ignore files of the folders above it (this repository's, which ignore `dist/`) then
 * apply neither to Rune nor to ripgrep, which the search bench also runs with --no-ignore-parent.
 */
function asRepository(): string {
  mkdirSync(join(FOLDER, ".git"), { recursive: true });
  return FOLDER;
}

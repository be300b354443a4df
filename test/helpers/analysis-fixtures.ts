import { cpSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tempDir } from "./sdk-client.js";

/** The analysis fixtures are sources, not compiled: read them from the repository's test folder. */
export const ANALYSIS_FIXTURES = fileURLToPath(new URL("../../../test/fixtures/analysis/", import.meta.url));

/** A fresh copy of one fixture folder (`syntax`, `lint`, ...), so tests may change it. */
export function fixtureCopy(folder: string): string {
  const root = tempDir(`rune-analysis-${folder}-`);
  cpSync(`${ANALYSIS_FIXTURES}${folder}`, root, { recursive: true });
  return root;
}

import { readForScan } from "../files/scan-read.js";
import { threadGrammarLoader } from "../symbols/grammar-loader.js";
import { languageOf } from "../symbols/languages.js";
import { analysisQueries } from "./analysis-queries.js";
import { type FunctionMetrics, functionMetrics } from "./function-metrics.js";

/** One worker task: the functions of a batch of files, with their complexity and size. */
export interface ProfileTask {
  files: string[];
  maxFileBytes: number;
  /** Functions below this complexity are not returned (they cannot be hotspots). */
  minComplexity: number;
}

export interface ProfileTaskResult {
  files: { path: string; functions: Omit<FunctionMetrics, "deepest" | "parametersRange">[] }[];
  parsed: number;
  skipped: number;
}

const loader = threadGrammarLoader();

/** Runs in a worker thread: parses each file and measures its functions. */
export async function profileFiles(task: ProfileTask): Promise<ProfileTaskResult> {
  const result: ProfileTaskResult = { files: [], parsed: 0, skipped: 0 };
  for (const path of task.files) {
    const language = languageOf(path);
    const bytes = language ? readForScan(path, task.maxFileBytes, true) : "unreadable";
    if (!language || typeof bytes === "string") {
      result.skipped++;
      continue;
    }
    const text = bytes.toString("utf8");
    try {
      const { parser, grammar } = await loader.parserFor(language);
      const queries = await analysisQueries(grammar.language);
      if (parser.language !== grammar.language) parser.setLanguage(grammar.language);
      const tree = parser.parse(text);
      if (!tree) throw new Error("no tree");
      try {
        const functions = functionMetrics(tree, queries.metrics)
          .filter((f) => f.complexity >= task.minComplexity)
          .map(({ deepest: _d, parametersRange: _p, ...rest }) => rest);
        result.parsed++;
        if (functions.length > 0) result.files.push({ path, functions });
      } finally {
        tree.delete();
      }
    } catch {
      result.skipped++;
    }
  }
  return result;
}

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Language, Parser, Query } from "web-tree-sitter";
import type { LanguageId, LanguageSpec } from "./languages.js";
import { SYMBOL_QUERIES } from "./symbol-queries.js";

/** A loaded grammar and its compiled symbol query. */
export interface Grammar {
  language: Language;
  query: Query;
}

/**
 * Loads tree-sitter and its grammars on demand, once per thread: one Parser for the thread, and a
 * grammar (with its compiled query) the first time a file of its language is seen, so a worker
 * that only meets TypeScript never compiles the Rust grammar.
 */
export class GrammarLoader {
  private parser: Promise<Parser> | undefined;
  private readonly grammars = new Map<LanguageId, Promise<Grammar>>();
  private module: Promise<typeof import("web-tree-sitter")> | undefined;

  /** The thread's parser, set to `spec`'s language. */
  async parserFor(spec: LanguageSpec): Promise<{ parser: Parser; grammar: Grammar }> {
    this.parser ??= this.createParser();
    const parser = await this.parser;
    const grammar = await this.grammar(spec);
    if (parser.language !== grammar.language) parser.setLanguage(grammar.language);
    return { parser, grammar };
  }

  grammar(spec: LanguageSpec): Promise<Grammar> {
    let grammar = this.grammars.get(spec.id);
    if (!grammar) {
      grammar = this.load(spec);
      // A failed load is not cached: the next file retries (and reports the error again).
      grammar.catch(() => this.grammars.delete(spec.id));
      this.grammars.set(spec.id, grammar);
    }
    return grammar;
  }

  private async createParser(): Promise<Parser> {
    const { Parser } = await this.treeSitter();
    return new Parser();
  }

  private treeSitter(): Promise<typeof import("web-tree-sitter")> {
    this.module ??= import("web-tree-sitter").then(async (module) => {
      await module.Parser.init();
      return module;
    });
    return this.module;
  }

  private async load(spec: LanguageSpec): Promise<Grammar> {
    const { Language, Query } = await this.treeSitter();
    const language = await Language.load(await readFile(join(grammarFolder(), spec.grammar)));
    return { language, query: new Query(language, SYMBOL_QUERIES[spec.id]) };
  }
}

let perThread: GrammarLoader | undefined;

/**
 * The loader of the current thread, shared by every task that runs there (symbols, lint,
 * profiling), so a worker loads each grammar once. Tasks on one thread run one at a time, and each
 * parses right after `parserFor` resolves, so they never see each other's language on the parser.
 */
export function threadGrammarLoader(): GrammarLoader {
  perThread ??= new GrammarLoader();
  return perThread;
}

let folder: string | undefined;

/** Where @vscode/tree-sitter-wasm keeps its grammars (its main module sits beside them). */
function grammarFolder(): string {
  folder ??= dirname(createRequire(import.meta.url).resolve("@vscode/tree-sitter-wasm"));
  return folder;
}

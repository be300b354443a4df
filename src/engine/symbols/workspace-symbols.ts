import { readFileSync } from "node:fs";
import type { PathSandbox } from "../files/path-sandbox.js";
import { within } from "../workspace/workspace-roots.js";
import type { LanguageId } from "./languages.js";
import { type DocumentSymbol, namePath, type SymbolKind } from "./symbol.js";
import type { SkippedFiles, SymbolIndex } from "./symbol-index.js";

export interface FoundSymbol extends DocumentSymbol {
  path: string;
  relative: string;
  namePath: string;
}

export interface SymbolWithBody extends FoundSymbol {
  /** The definition's source lines, when asked for; cut at `maxBodyLines`. */
  body?: string;
  bodyTruncated?: boolean;
}

export interface WorkspaceSymbolsRequest {
  query: string;
  kinds?: readonly SymbolKind[];
  /** Default 50. */
  limit?: number;
}

export interface FindSymbolRequest {
  namePath: string;
  kinds?: readonly SymbolKind[];
  /** Default 20. */
  limit?: number;
  /** Include each definition's source (of the first 5 found, at most `maxBodyLines` lines each). */
  includeBody?: boolean;
  maxBodyLines?: number;
}

const BODIES = 5;
const MAX_BODY_CHARS = 20_000;

/**
 * Symbols for one client's scope: the engine's one index (shared, built once), with every answer
 * confined to the scope's roots, and document symbols for any file inside them.
 */
export class WorkspaceSymbols {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly index: () => SymbolIndex,
  ) {}

  async documentSymbols(
    path: unknown,
  ): Promise<{ path: string; language: LanguageId; symbols: DocumentSymbol[] }> {
    const resolved = await this.sandbox.resolve(path, { mustExist: true });
    return { path: resolved, ...(await this.index().documentSymbols(resolved)) };
  }

  /** Symbols whose names match `query` fuzzily, best first, building the index on first use. */
  async search(request: WorkspaceSymbolsRequest): Promise<{
    symbols: (FoundSymbol & { score: number })[];
    indexed: { files: number; symbols: number; skipped: SkippedFiles };
  }> {
    const index = this.index();
    await index.ready();
    const indexed = { ...index.size, skipped: index.skippedFiles };
    const hits = index.search(request.query, {
      limit: request.limit ?? 50,
      kinds: request.kinds,
      filter: this.inScope,
    });
    return { symbols: hits.map((h) => ({ ...found(h), score: h.score })), indexed };
  }

  /** Symbols at a name path (`Class/method`, `method`, `/TopLevel`), optionally with their source. */
  async find(request: FindSymbolRequest): Promise<{ symbols: SymbolWithBody[] }> {
    const index = this.index();
    await index.ready();
    const hits = index.find(request.namePath, {
      limit: request.limit ?? 20,
      kinds: request.kinds,
      filter: this.inScope,
    });
    const symbols: SymbolWithBody[] = hits.map(found);
    if (request.includeBody) {
      for (const symbol of symbols.slice(0, BODIES))
        Object.assign(symbol, this.body(symbol, request.maxBodyLines ?? 200));
    }
    return { symbols };
  }

  private readonly inScope = (path: string): boolean =>
    this.sandbox.roots.list().some((root) => within(path, root.path));

  /**
   * The definition's lines as they are on disk now, read through the sandbox: the file may have
   * become a link (to a secret outside the workspace, say) since it was indexed. Nothing if the
   * file is gone or no longer confined.
   */
  private body(symbol: FoundSymbol, maxLines: number): { body?: string; bodyTruncated?: boolean } {
    let text: string;
    try {
      text = readFileSync(this.sandbox.resolveSync(symbol.path, { mustExist: true }), "utf8");
    } catch {
      return {};
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = text.split(/\r\n|\r|\n/).slice(symbol.range.start.line - 1, symbol.range.end.line);
    let truncated = lines.length > maxLines;
    let out = lines.slice(0, maxLines).join("\n");
    if (out.length > MAX_BODY_CHARS) {
      out = out.slice(0, MAX_BODY_CHARS);
      truncated = true;
    }
    return truncated ? { body: out, bodyTruncated: true } : { body: out };
  }
}

function found(hit: { path: string; relative: string; symbol: DocumentSymbol }): FoundSymbol {
  return { path: hit.path, relative: hit.relative, namePath: namePath(hit.symbol), ...hit.symbol };
}

import { statSync } from "node:fs";
import { EngineError } from "../errors.js";
import type { PathSandbox } from "../files/path-sandbox.js";
import {
  DEFAULT_MAX_FILE_BYTES,
  languageNamed,
  MAX_FILE_BYTES_LIMIT,
  type SyntaxCheckOptions,
  type SyntaxFileResult,
  type SyntaxService,
  skipped,
} from "./syntax-service.js";

export interface SyntaxCheckRequest extends SyntaxCheckOptions {
  /** Files to check (paths or file:// URIs). */
  paths?: readonly unknown[];
  /** An unsaved buffer's text, checked as `language`. */
  text?: string;
  language?: string;
  /** A name for the buffer, so later versions of it parse incrementally (default `untitled`). */
  name?: string;
  /** Files checked at most (default 200). */
  maxFiles?: number;
}

export interface SyntaxCheckResult {
  files: SyntaxFileResult[];
  /** Files not checked because of `maxFiles`. */
  omitted: number;
}

/** The syntax check confined to one scope's roots. */
export class SyntaxChecker {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly service: SyntaxService,
  ) {}

  async check(request: SyntaxCheckRequest): Promise<SyntaxCheckResult> {
    const paths = request.paths ?? [];
    const maxFileBytes = request.maxFileBytes;
    if (
      maxFileBytes !== undefined &&
      (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1 || maxFileBytes > MAX_FILE_BYTES_LIMIT)
    ) {
      throw new EngineError(
        "INVALID_ARGUMENT",
        `maxFileBytes must be a whole number from 1 to ${MAX_FILE_BYTES_LIMIT} (32 MiB)`,
      );
    }
    if (request.text !== undefined) {
      if (paths.length > 0) throw new EngineError("INVALID_ARGUMENT", "give either paths or text, not both");
      if (!request.language)
        throw new EngineError("INVALID_ARGUMENT", "text needs a language (typescript, python, go, ...)");
      const language = languageNamed(request.language);
      if (!language) {
        throw new EngineError(
          "INVALID_ARGUMENT",
          `no grammar for language ${JSON.stringify(request.language)}; use one of typescript, tsx, javascript, python, go, rust, java, c, cpp, csharp, ruby`,
        );
      }
      const key = `untitled:${request.name ?? "untitled"}`;
      const limit = request.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
      if (Buffer.byteLength(request.text) > limit) {
        return {
          files: [skipped(key, "large", `larger than ${limit} bytes (maxFileBytes): not parsed`)],
          omitted: 0,
        };
      }
      return { files: [await this.service.checkText(key, language, request.text, request)], omitted: 0 };
    }
    if (paths.length === 0)
      throw new EngineError("INVALID_ARGUMENT", "give paths to check, or text and language");
    const max = request.maxFiles ?? 200;
    const files: SyntaxFileResult[] = [];
    for (const requested of paths.slice(0, max)) files.push(await this.checkOne(requested, request));
    return { files, omitted: Math.max(0, paths.length - max) };
  }

  /** One file's check; a path the sandbox refuses is reported for that file, not thrown. */
  private async checkOne(requested: unknown, options: SyntaxCheckOptions): Promise<SyntaxFileResult> {
    let path: string;
    try {
      path = this.sandbox.resolveSync(requested, { mustExist: true });
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return skipped(String(requested), "invalid", `${error.code}: ${error.message}`);
    }
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) return skipped(path, "invalid", "a directory: give files");
    // A FIFO or a device: reading one could block the server or never end.
    if (stats && !stats.isFile()) return skipped(path, "invalid", "not a regular file: not read");
    return this.service.checkFile(path, options);
  }
}

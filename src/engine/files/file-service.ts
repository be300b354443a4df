import { relative } from "node:path";
import { EngineError } from "../errors.js";
import { printableName } from "../text/printable.js";
import type { TextEdit } from "../text/text-edits.js";
import { ByteArena } from "./byte-arena.js";
import {
  type EditOptions,
  type EditResult,
  editFile,
  type WriteOptions,
  type WriteResult,
  writeFile,
} from "./file-editor.js";
import type { FileInfo, FileInfoCache } from "./file-info.js";
import type { FileReader, ReadOptions, ReadResult } from "./file-reader.js";
import type { PathSandbox } from "./path-sandbox.js";

/** Bound on the bytes a batch may be asked to return, whatever the caller says (64 MiB). */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

/** One file of a batch read: its window, or why it could not be read. */
export type BatchEntry =
  | { requested: string; read: ReadResult<Buffer> }
  | { requested: string; error: { code: string; message: string } };

export interface BatchResult {
  files: BatchEntry[];
  /** Paths not read because the batch's byte bound was spent; ask for them again. */
  omitted: string[];
  /**
   * Says the files' `content` buffers are dead (their bytes have been copied out, into a reply):
   * the memory they share is reused by the next batch. Optional; a batch never released is
   * collected as usual.
   */
  release(): void;
}

/** What every FileService of an engine shares. */
export interface FileServiceShared {
  reader: FileReader;
  info: FileInfoCache;
  allowWrites: boolean;
  /** Called after Rune itself changed a file, so caches need not wait for the watcher. */
  changed(path: string): void;
}

/**
 * The file operations, each confined to one sandbox. Every path is resolved by the sandbox before
 * anything touches the disk; writes are refused unless the engine allows them.
 */
export class FileService {
  constructor(
    readonly sandbox: PathSandbox,
    private readonly shared: FileServiceShared,
  ) {}

  async read(requested: unknown, options: ReadOptions = {}): Promise<ReadResult> {
    return this.shared.reader.read(this.sandbox.resolveSync(requested, { mustExist: true }), options);
  }

  /**
   * Reads many files, each window's text as UTF-8 bytes (a batch is sent on, not searched); one that fails is reported in its entry and does not fail the others. The
   * batch's content is bounded by `maxBytes` in total: files past the bound are listed in `omitted`.
   */
  async readMany(requested: readonly unknown[], options: ReadOptions = {}): Promise<BatchResult> {
    let budget = Math.min(options.maxBytes ?? this.shared.reader.maxBytes, MAX_BATCH_BYTES);
    const files: BatchEntry[] = [];
    const omitted: string[] = [];
    const folders = new Map<string, string | null>();
    const arena = new ByteArena();
    const each: ReadOptions = { ...options };
    for (const path of requested) {
      const name = String(path);
      if (budget <= 0) {
        omitted.push(name);
        continue;
      }
      try {
        each.maxBytes = budget;
        const result = await this.readOne(path, each, folders, arena);
        budget -= result.content.length;
        files.push({ requested: name, read: result });
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        files.push({ requested: name, error: { code: error.code, message: error.message } });
      }
    }
    return { files, omitted, release: () => arena.release() };
  }

  /**
   * One file of a batch. The fast path opens the path its folder's canonical form names, refusing
   * a symbolic link as the last component (O_NOFOLLOW): if that open succeeds the path was
   * canonical, which the sandbox would otherwise have checked with an lstat. Whatever fails there
   * (a link, a missing file, a path outside the roots) takes the full resolution, which reads the
   * file or gives the error the caller sees.
   */
  private async readOne(
    requested: unknown,
    options: ReadOptions,
    folders: Map<string, string | null>,
    arena: ByteArena,
  ): Promise<ReadResult<Buffer>> {
    const reader = this.shared.reader;
    const candidate = this.sandbox.candidate(requested, folders);
    if (candidate !== null) {
      try {
        return await reader.readBytes(candidate, options, { noFollow: true, arena });
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
      }
    }
    return reader.readBytes(this.sandbox.resolveSync(requested, { mustExist: true, folders }), options, {
      arena,
    });
  }

  edit(requested: unknown, edits: readonly TextEdit[], options: EditOptions = {}): EditResult {
    if (!options.dryRun) this.checkWritable();
    const path = this.sandbox.resolveSync(requested, { mustExist: true });
    const result = editFile(path, edits, { displayPath: this.display(path), ...options });
    if (!result.dryRun) this.shared.changed(path);
    return result;
  }

  write(requested: unknown, content: string, options: WriteOptions = {}): WriteResult {
    this.checkWritable();
    const path = this.sandbox.resolveSync(requested);
    const result = writeFile(path, content, options);
    this.shared.changed(path);
    return result;
  }

  info(requested: unknown): FileInfo {
    const path = this.sandbox.resolveSync(requested, { mustExist: true });
    return this.shared.info.get(path, this.sandbox.lexical(requested));
  }

  /**
   * `path` relative to the root that holds it, as diffs, messages and text listings show it: a
   * name with a line break or another control character is quoted (printable.ts).
   */
  display(path: string): string {
    for (const root of this.sandbox.roots.list()) {
      const rel = relative(root.path, path);
      if (!rel.startsWith("..")) return rel === "" ? "." : printableName(rel);
    }
    return printableName(path);
  }

  private checkWritable(): void {
    if (!this.shared.allowWrites) {
      throw new EngineError(
        "WRITES_DISABLED",
        "Writing is disabled: start Rune with --allow-writes to enable it",
      );
    }
  }
}

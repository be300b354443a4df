import { closeSync, fstatSync, mkdirSync, openSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { EngineError, fromSystemError } from "../errors.js";
import { applyChanges, planEdits, type TextEdit } from "../text/text-edits.js";
import { unifiedDiff } from "../text/unified-diff.js";
import { atomicWrite } from "./atomic-write.js";
import { readFully } from "./read-fully.js";
import { sha256, TextContent } from "./text-content.js";

/** Files larger than this are not edited in memory (64 MiB). */
export const MAX_EDIT_BYTES = 64 * 1024 * 1024;

export interface EditOptions {
  /** SHA-256 (hex) the file must have, as read_file reported it; a stale edit is refused. */
  expectedSha256?: string;
  /** Compute the result and the diff, write nothing. */
  dryRun?: boolean;
  /** Name used in the diff's headers (a workspace-relative path reads best). */
  displayPath?: string;
}

export interface EditResult {
  path: string;
  dryRun: boolean;
  /** Byte ranges replaced (a replaceAll edit counts each occurrence). */
  replacements: number;
  sha256Before: string;
  sha256: string;
  size: number;
  diff: string;
}

/**
 * Applies edits to a file all together or not at all, keeping what the file was: its BOM, its
 * line-break style (new text is converted to it), its encoding (UTF-16 files are written back as
 * UTF-16), its mode and owner. The write is atomic, and refused if the file changed on disk
 * between the read and the write.
 */
export function editFile(path: string, edits: readonly TextEdit[], options: EditOptions = {}): EditResult {
  const { raw, stats } = readForEdit(path);
  const before = sha256(raw);
  if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== before) {
    throw new EngineError(
      "PRECONDITION_FAILED",
      `${path} has changed since it was read (sha256 is ${before}, expected ${options.expectedSha256}); read it again`,
    );
  }
  const text = TextContent.of(raw);
  if (text === null) throw new EngineError("NOT_A_FILE", `${path} is binary; only text files can be edited`);
  const changes = planEdits(
    { bytes: text.bytes, lines: text.lines, bomLength: text.bomLength, lineCount: text.lineCount },
    edits,
  );
  const edited = applyChanges(text.bytes, changes);
  const output = encodeLike(edited, text.encoding);
  const diff = unifiedDiff(options.displayPath ?? path, text.bytes, text.lines, changes);
  if (!options.dryRun) atomicWrite(path, output, { expected: stats });
  return {
    path,
    dryRun: options.dryRun === true,
    replacements: changes.length,
    sha256Before: before,
    sha256: sha256(output),
    size: output.length,
    diff,
  };
}

export interface WriteOptions {
  /** SHA-256 (hex) an existing file must have; "" requires that the file does not exist yet. */
  expectedSha256?: string;
  /** Replace an existing file (default true). */
  overwrite?: boolean;
  /** Create missing parent folders (default true; they are inside the workspace by then). */
  createParents?: boolean;
}

export interface WriteResult {
  path: string;
  created: boolean;
  size: number;
  sha256: string;
}

/** Writes a whole file atomically, creating it or replacing it as the options allow. */
export function writeFile(path: string, content: string, options: WriteOptions = {}): WriteResult {
  const existing = existingForWrite(path);
  const expected = options.expectedSha256?.toLowerCase();
  if (expected !== undefined) {
    const actual = existing ? sha256(existing.raw) : "";
    if (actual !== expected) {
      throw new EngineError(
        "PRECONDITION_FAILED",
        existing
          ? `${path} has sha256 ${actual}, not ${expected === "" ? "absent" : expected}; read it again`
          : `${path} does not exist, but a sha256 was expected`,
      );
    }
  }
  if (existing && options.overwrite === false)
    throw new EngineError("ALREADY_EXISTS", `${path} already exists`);
  const bytes = Buffer.from(content, "utf8");
  if (!existing && options.createParents !== false) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw fromSystemError(error, "Cannot create the folder of", path);
    }
  }
  atomicWrite(path, bytes, existing ? { expected: existing.stats } : {});
  return { path, created: !existing, size: bytes.length, sha256: sha256(bytes) };
}

function readForEdit(path: string): { raw: Buffer; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw fromSystemError(error, "Cannot edit", path);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new EngineError("NOT_A_FILE", `${path} is not a regular file`);
    if (stats.size > MAX_EDIT_BYTES) {
      throw new EngineError(
        "FILE_TOO_LARGE",
        `${path} is ${stats.size} bytes; edits are limited to ${MAX_EDIT_BYTES}`,
      );
    }
    // A file that shrank while being read is changing under us: the write's identity check will say so.
    return { raw: readFully(fd, stats.size), stats };
  } catch (error) {
    throw fromSystemError(error, "Cannot edit", path);
  } finally {
    closeSync(fd);
  }
}

function existingForWrite(path: string): { raw: Buffer; stats: Stats } | null {
  try {
    return readForEdit(path);
  } catch (error) {
    if (error instanceof EngineError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

/** The edited UTF-8 bytes in the file's own encoding; UTF-16 gets back the BOM it was read with. */
function encodeLike(utf8: Buffer, encoding: TextContent["encoding"]): Buffer {
  if (encoding !== "utf-16le" && encoding !== "utf-16be") return utf8;
  const le = Buffer.from(`\ufeff${utf8.toString("utf8")}`, "utf16le");
  return encoding === "utf-16le" ? le : le.swap16();
}

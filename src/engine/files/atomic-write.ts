import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  openSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { EngineError, fromSystemError } from "../errors.js";
import { fileIdentity } from "./line-starts-cache.js";

export interface AtomicWriteOptions {
  /**
   * The file as it was when read (its stats). If it has been replaced or modified since, the write
   * is refused with FILE_CHANGED and nothing is touched. Omit for a new file, which must then not
   * exist unless `overwrite` is set.
   */
  expected?: Stats;
  /** May an existing file be replaced without `expected`? */
  overwrite?: boolean;
  /** Permission bits for a new file (default 0o644, less the umask). */
  mode?: number;
}

/**
 * Writes a file so that it is either wholly the old bytes or wholly the new ones, whatever fails
 * and whenever the process dies: the bytes go to a temporary file in the same directory (so the
 * rename cannot cross filesystems), are fsynced, take the original's mode and owner, and replace
 * the original with one rename(2); the directory is fsynced so the rename survives a crash. On any
 * error the temporary file is removed and the original is untouched.
 */
export function atomicWrite(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): void {
  const current = statOrNull(path);
  if (current !== null && !current.isFile())
    throw new EngineError("NOT_A_FILE", `${path} is not a regular file`);
  checkExpected(path, current, options);
  const temp = join(dirname(path), `.${basename(path)}.rune-${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o600);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    const reference = current ?? null;
    fchmodSync(fd, reference ? reference.mode & 0o7777 : (options.mode ?? 0o644) & ~process.umask());
    if (reference && (reference.uid !== process.getuid?.() || reference.gid !== process.getgid?.())) {
      try {
        fchownSync(fd, reference.uid, reference.gid);
      } catch {
        // Only root may give a file away; the new file keeps our ownership, as any editor's would.
      }
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // The last moment to notice a concurrent writer: the original must still be the file we read.
    checkExpected(path, statOrNull(path), options);
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed, or never created.
    }
    throw fromSystemError(error, "Cannot write", path);
  }
  syncDirectory(dirname(path));
}

function checkExpected(path: string, current: Stats | null, options: AtomicWriteOptions): void {
  if (options.expected) {
    if (current === null || fileIdentity(current) !== fileIdentity(options.expected)) {
      throw new EngineError(
        "FILE_CHANGED",
        `${path} changed on disk after it was read; read it again and redo the change`,
      );
    }
    return;
  }
  if (current !== null && !options.overwrite) {
    throw new EngineError("ALREADY_EXISTS", `${path} already exists`);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw fromSystemError(error, "Cannot inspect", path);
  }
}

/** fsync of the directory makes the rename durable; some filesystems refuse it, which is harmless. */
function syncDirectory(directory: string): void {
  try {
    const fd = openSync(directory, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: the data itself was fsynced before the rename.
  }
}

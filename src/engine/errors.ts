/** Stable codes for everything the engine refuses; tools map them to results once, at their edge. */
export type EngineErrorCode =
  | "PATH_OUTSIDE_ROOT"
  | "PATH_INVALID"
  | "NOT_FOUND"
  | "PATH_TOO_LONG"
  | "NOT_A_DIRECTORY"
  | "ROOT_UNAVAILABLE"
  | "NOT_A_FILE"
  | "INVALID_ARGUMENT"
  | "FILE_TOO_LARGE"
  | "PRECONDITION_FAILED"
  | "NO_MATCH"
  | "AMBIGUOUS_MATCH"
  | "EDIT_OVERLAP"
  | "FILE_CHANGED"
  | "WRITES_DISABLED"
  | "ALREADY_EXISTS"
  | "PERMISSION_DENIED"
  | "NO_SPACE"
  | "IO_ERROR";

/** The engine's one error class: a stable code for programs, a message for people. */
export class EngineError extends Error {
  override readonly name = "EngineError";
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An operating-system error as an EngineError: the errno names the code, the message says what was
 * being done to which path. Anything not recognised is IO_ERROR with the system's own words.
 */
export function fromSystemError(error: unknown, doing: string, path: string): EngineError {
  if (error instanceof EngineError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return new EngineError("NOT_FOUND", `${doing} ${path}: no such file or directory`);
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return new EngineError("PERMISSION_DENIED", `${doing} ${path}: permission denied (${code})`);
    case "ENOSPC":
    case "EDQUOT":
      return new EngineError("NO_SPACE", `${doing} ${path}: no space left on the device (${code})`);
    case "EISDIR":
      return new EngineError("NOT_A_FILE", `${doing} ${path}: it is a directory`);
    case "ENOTDIR":
      return new EngineError("NOT_A_DIRECTORY", `${doing} ${path}: a parent is not a directory`);
    default:
      return new EngineError(
        "IO_ERROR",
        `${doing} ${path}: ${(error as Error | undefined)?.message ?? String(error)}`,
      );
  }
}

/**
 * A regular expression that does not compile, as an INVALID_ARGUMENT naming the pattern as the
 * caller wrote it and the reason: V8's own message repeats the source with the flags the engine
 * added ("Invalid regular expression: /(/gm: Unterminated group"); any other message (bad flags)
 * is kept whole.
 */
export function invalidRegex(source: string, error: unknown): EngineError {
  const message = error instanceof Error ? error.message : String(error);
  const reason = /^Invalid regular expression: \/.*\/[a-z]*: (.*)$/s.exec(message)?.[1] ?? message;
  return new EngineError(
    "INVALID_ARGUMENT",
    `Invalid regular expression ${JSON.stringify(source)}: ${reason}`,
  );
}

/** Stable codes for everything the engine refuses; tools map them to results once, at their edge. */
export type EngineErrorCode =
  | "PATH_OUTSIDE_ROOT"
  | "PATH_INVALID"
  | "NOT_FOUND"
  | "PATH_TOO_LONG"
  | "NOT_A_DIRECTORY"
  | "ROOT_UNAVAILABLE";

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

import { WorkspaceRoots } from "./workspace/workspace-roots.js";

export interface EngineOptions {
  /** Folders to serve; canonicalised on start. */
  roots: readonly string[];
  /** Whether tools that change files may run. */
  allowWrites: boolean;
}

/**
 * The engine's front door: one object per served workspace, created and disposed explicitly so
 * tests can run many in one process. It knows nothing of MCP.
 */
export class Engine {
  readonly roots: WorkspaceRoots;
  readonly allowWrites: boolean;

  constructor(options: EngineOptions) {
    this.roots = new WorkspaceRoots(options.roots);
    this.allowWrites = options.allowWrites;
  }

  async dispose(): Promise<void> {}
}

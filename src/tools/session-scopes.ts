import { fileURLToPath } from "node:url";
import type { Engine, WorkspaceScope } from "../engine/index.js";
import type { Logger } from "../protocol/logger.js";
import type { SessionHandle } from "../protocol/mcp/request-context.js";
import type { McpServer } from "../protocol/mcp/server.js";

/** A client that does not answer roots/list within this keeps the served roots. */
const ROOTS_TIMEOUT_MS = 10_000;

/**
 * Which files each session may reach. A client that declares the roots capability has its MCP
 * roots asked for after initialization and whenever it says they changed; its file tools are then
 * confined to those roots, narrowed to the folders Rune serves (a client may narrow the workspace,
 * never widen it). Every other session uses the served roots.
 */
export class SessionScopes {
  private readonly scoped = new WeakMap<SessionHandle, WorkspaceScope>();
  private readonly pending = new WeakMap<SessionHandle, Promise<void>>();

  constructor(
    private readonly engine: Engine,
    private readonly logger?: Logger,
  ) {}

  /** The scope for requests of `session`, once a roots request in flight has settled. */
  async of(session: SessionHandle): Promise<WorkspaceScope> {
    const pending = this.pending.get(session);
    if (pending) await pending;
    return this.scoped.get(session) ?? this.engine.scope;
  }

  /** Asks the client for its roots and confines the session to them. */
  refresh(session: SessionHandle): Promise<void> {
    if (!session.clientCapabilities.roots) return Promise.resolve();
    const done = this.load(session).finally(() => {
      if (this.pending.get(session) === done) this.pending.delete(session);
    });
    this.pending.set(session, done);
    return done;
  }

  private async load(session: SessionHandle): Promise<void> {
    let uris: string[];
    try {
      uris = (await session.listRoots({ signal: AbortSignal.timeout(ROOTS_TIMEOUT_MS) })).map(
        (root) => root.uri,
      );
    } catch (error) {
      this.logger?.warn(`roots/list failed; session ${session.id} keeps the served roots: ${String(error)}`);
      return;
    }
    const paths = uris.flatMap((uri) => {
      try {
        return [fileURLToPath(uri)];
      } catch {
        return [];
      }
    });
    const narrowed = this.engine.roots.narrowedTo(paths);
    if (narrowed === null) {
      this.scoped.delete(session);
      if (paths.length > 0) {
        this.logger?.warn(
          `client roots ${uris.join(", ")} lie outside the served roots; session ${session.id} keeps the served roots`,
        );
      }
      return;
    }
    this.scoped.set(session, this.engine.scopeWithin(narrowed));
  }

  /** Hooks the refresh into a server's session lifecycle, keeping hooks set before. */
  attach(server: McpServer): void {
    const { onInitialized, onRootsChanged } = server.hooks;
    server.hooks.onInitialized = (session) => {
      onInitialized?.(session);
      void this.refresh(session);
    };
    server.hooks.onRootsChanged = (session) => {
      onRootsChanged?.(session);
      void this.refresh(session);
    };
  }
}

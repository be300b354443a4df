import { JsonRpcConnection } from "../../protocol/jsonrpc/connection.js";
import { ErrorCode, ProtocolError } from "../../protocol/jsonrpc/errors.js";
import { IDE_AUTH_HEADER } from "../../protocol/transports/websocket/ide-websocket-server.js";
import { WebSocketTransport } from "../../protocol/transports/websocket/websocket-transport.js";
import type { IdeServer } from "./ide-discovery.js";

interface Position {
  line: number;
  character: number;
}

/** A mention the IDE sends when its user sends lines to Claude (`at_mentioned`; lines 0-based). */
export interface IdeMention {
  filePath: string;
  lineStart?: number;
  lineEnd?: number;
}

/** A selection as IDE servers report it (getCurrentSelection, getLatestSelection, selection_changed). */
export interface IdeSelection {
  text: string;
  filePath: string;
  fileUrl?: string;
  selection: { start: Position; end: Position; isEmpty: boolean };
}

/** One open editor tab as getOpenEditors reports it; IDEs add fields of their own. */
export interface IdeTab {
  uri: string;
  isActive: boolean;
  label: string;
  languageId?: string;
  isDirty?: boolean;
  [field: string]: unknown;
}

export interface IdeFileDiagnostics {
  uri: string;
  diagnostics: {
    message: string;
    severity: string;
    range: { start: Position; end: Position };
    source?: string;
    code?: string;
  }[];
}

export interface IdeBridgeOptions {
  /** Deadline for each request to the IDE, in milliseconds (default 5,000). */
  timeoutMs?: number;
}

const PROTOCOL_VERSION = "2025-06-18";

/**
 * A client of another IDE server (VS Code's or JetBrains' Claude Code extension, claudecode.nvim,
 * another Rune): connects the way Claude Code does (WebSocket on loopback, the lock file's token in
 * the auth header, MCP initialize), then reads selection, open editors and diagnostics with the IDE
 * tools and hears `selection_changed` and `at_mentioned`.
 */
export class IdeBridge {
  private readonly listeners = new Set<(selection: IdeSelection) => void>();
  private readonly mentionListeners = new Set<(mention: IdeMention) => void>();

  private constructor(
    readonly server: IdeServer,
    private readonly connection: JsonRpcConnection,
    private readonly timeoutMs: number,
  ) {}

  static async connect(server: IdeServer, options: IdeBridgeOptions = {}): Promise<IdeBridge> {
    const { default: WebSocket } = await import("ws");
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}`, ["mcp"], {
      headers: { [IDE_AUTH_HEADER]: server.authToken },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("unexpected-response", (_req, res) =>
        reject(
          new Error(
            `${server.ideName} on port ${server.port} refused the connection (HTTP ${res.statusCode})`,
          ),
        ),
      );
      socket.once("error", (error) =>
        reject(new Error(`cannot reach ${server.ideName} on port ${server.port}: ${error.message}`)),
      );
    });
    let bridge: IdeBridge | undefined;
    const transport = new WebSocketTransport(socket, () => {});
    const connection = new JsonRpcConnection(transport, {
      onRequest(request) {
        throw new ProtocolError(
          ErrorCode.MethodNotFound,
          `Rune's IDE bridge answers no requests (${request.method})`,
        );
      },
      onNotification(notification) {
        if (notification.method === "selection_changed" && bridge) {
          const selection = notification.params as unknown as IdeSelection;
          for (const listener of bridge.listeners) listener(selection);
        }
        if (notification.method === "at_mentioned" && bridge) {
          const mention = notification.params as unknown as IdeMention;
          if (typeof mention?.filePath !== "string") return;
          for (const listener of bridge.mentionListeners) listener(mention);
        }
      },
      batchRefusal: () => "batches are not accepted",
    });
    bridge = new IdeBridge(server, connection, options.timeoutMs ?? 5_000);
    await connection.start();
    await connection.request(
      "initialize",
      {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "rune-ide-bridge", version: "1" },
      },
      { timeoutMs: bridge.timeoutMs },
    );
    connection.notify("notifications/initialized");
    return bridge;
  }

  /** Calls `listener` with each selection_changed the IDE sends; returns the unsubscribe function. */
  onSelectionChanged(listener: (selection: IdeSelection) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls `listener` with each `at_mentioned` the IDE sends (its user sent a file or lines to
   * Claude, e.g. with :RuneSend or :ClaudeCodeSend); returns the unsubscribe function.
   */
  onMentioned(listener: (mention: IdeMention) => void): () => void {
    this.mentionListeners.add(listener);
    return () => this.mentionListeners.delete(listener);
  }

  /** The active editor's selection, or undefined when the IDE has none. */
  async currentSelection(): Promise<IdeSelection | undefined> {
    return selectionOrNone(await this.callJson("getCurrentSelection"));
  }

  /** The most recent non-empty selection, or undefined. */
  async latestSelection(): Promise<IdeSelection | undefined> {
    return selectionOrNone(await this.callJson("getLatestSelection"));
  }

  async openEditors(): Promise<IdeTab[]> {
    const answer = (await this.callJson("getOpenEditors")) as { tabs?: IdeTab[] };
    return answer.tabs ?? [];
  }

  /** Diagnostics of one file (a file URI), or of every file the IDE reports. */
  async diagnostics(uri?: string): Promise<IdeFileDiagnostics[]> {
    return (await this.callJson("getDiagnostics", uri === undefined ? {} : { uri })) as IdeFileDiagnostics[];
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /** Calls an IDE tool and parses the JSON in its first text block, as IDE tools answer. */
  private async callJson(name: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const result = (await this.connection.request(
      "tools/call",
      { name, arguments: args },
      { timeoutMs: this.timeoutMs },
    )) as { content?: { type: string; text?: string }[]; isError?: boolean };
    const text = result.content?.find((block) => block.type === "text")?.text;
    if (result.isError) throw new Error(`${this.server.ideName}: ${name} failed: ${text ?? "no message"}`);
    if (text === undefined) throw new Error(`${this.server.ideName}: ${name} answered without text`);
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(
        `${this.server.ideName}: ${name} answered with text that is not JSON: ${text.slice(0, 200)}`,
      );
    }
  }
}

function selectionOrNone(answer: unknown): IdeSelection | undefined {
  const value = answer as (IdeSelection & { success?: boolean }) | null;
  if (!value || value.success === false || typeof value.text !== "string") return undefined;
  const { success: _, ...selection } = value;
  return selection;
}

import { readFileSync } from "node:fs";
import { connect as connectSocket, type Socket } from "node:net";
import { attach, type NeovimClient } from "neovim";
import {
  type DiffOutcome,
  type DiffRequest,
  type EditorHost,
  type EditorState,
  fileUri,
  type MentionInput,
  type OpenFileRequest,
  type SelectRequest,
  type TextChange,
} from "../../engine/index.js";
import type { Logger } from "../../protocol/logger.js";
import {
  diagnosticOf,
  joinLines,
  languageOf,
  linesChange,
  type NvimBuffer,
  type NvimDiagnostic,
  type NvimDiffOutcome,
  type NvimLines,
  type NvimState,
  selectionOf,
} from "./nvim-payloads.js";

/** The Lua that runs inside Neovim, shipped beside the compiled code (see package.json files). */
const ATTACH_LUA = new URL("../../../../nvim/lua/rune/attach.lua", import.meta.url);

export interface NeovimAdapterOptions {
  /** The address Neovim listens on (`nvim --listen`, `v:servername`): a socket path or host:port. */
  socket: string;
  state: EditorState;
  logger: Logger;
  /** Longest wait between a cursor move and its report (default 30 ms). */
  debounceMs?: number;
  /** Called once if Neovim goes away (it exited, or the socket closed). */
  onDisconnect?: () => void;
}

interface Tracked {
  info: NvimBuffer;
  uri: string;
  /** Whether the document is in the editor state (its first lines event has arrived). */
  opened: boolean;
  /**
   * Whether a line may hold a carriage return before its end: Neovim does not break lines there,
   * Rune's line index does, so line numbers are then counted over newlines alone.
   */
  innerCr?: boolean;
}

/**
 * Rune's side of a running Neovim: one msgpack-RPC connection over which the Lua in
 * nvim/lua/rune/attach.lua reports cursors, modes, saves and diagnostics (rpcnotify, debounced)
 * and streams each buffer's line changes (nvim_buf_attach, merged per event-loop turn), and Rune's
 * IDE tools act in the editor.
 * Everything reported lands in the engine's editor state, so tools answer from memory.
 */
export class NeovimAdapter implements EditorHost {
  name = "Neovim";
  private readonly buffers = new Map<number, Tracked>();
  private readonly diffs = new Map<string, (outcome: DiffOutcome) => void>();
  /** A cursor report for a buffer whose text has not arrived yet; applied when it does. */
  private pendingState: NvimState | undefined;
  /** Diagnostics reported for buffers whose text has not arrived yet (a language server is quick). */
  private readonly pendingDiagnostics = new Map<number, NvimDiagnostic[]>();
  private closed = false;
  /**
   * What Neovim has sent of buffer text: whole buffers (on attach or reload) and line changes, with
   * the lines and characters they carried. Typing sends one changed line, whatever the buffer's size.
   */
  readonly received = { wholeBuffers: 0, changes: 0, lines: 0, characters: 0 };
  /** Line changes refused because they did not fit the text Rune has (each followed by a resync). */
  refusedChanges = 0;

  private constructor(
    private readonly nvim: NeovimClient,
    private readonly options: NeovimAdapterOptions,
  ) {}

  /** Connects, installs the autocommands, syncs every open buffer, and attaches to the state. */
  static async connect(options: NeovimAdapterOptions): Promise<NeovimAdapter> {
    const socket = await openSocket(options.socket);
    // A reset when Neovim dies is followed by close, which the client reports as a disconnect.
    socket.on("error", (error) => options.logger.debug(`neovim socket: ${error.message}`));
    const nvim = attach({ reader: socket, writer: socket, options: { logger: quietLogger(options.logger) } });
    const adapter = new NeovimAdapter(nvim, options);
    nvim.on("notification", (method: string, args: unknown[]) => adapter.onNotification(method, args));
    nvim.on("disconnect", () => adapter.disconnected());
    let channel: number;
    try {
      channel = await nvim.channelId;
    } catch (error) {
      throw new Error(`cannot connect to Neovim at ${options.socket}: ${(error as Error).message}`);
    }
    const lua = readFileSync(ATTACH_LUA, "utf8");
    const hello = (await nvim.executeLua(lua, [channel, options.debounceMs ?? 30])) as {
      buffers: NvimBuffer[];
      version: string;
    };
    adapter.name = `Neovim ${hello.version}`;
    options.state.attachHost(adapter);
    for (const info of hello.buffers) adapter.track(info);
    return adapter;
  }

  /** Stops reporting and closes the connection; Neovim keeps running. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.nvim.executeLua("if _G.__rune then _G.__rune.stop() end", []).catch(() => {});
    this.disconnected();
    await this.nvim.close();
  }

  async openFile(request: OpenFileRequest): Promise<void> {
    await this.call("open_file", [request.path, request]);
  }

  openDiff(request: DiffRequest): Promise<DiffOutcome> {
    return new Promise((resolve, reject) => {
      // A second diff under the same name replaces the first, which counts as rejected.
      this.diffs.get(request.tabName)?.({ accepted: false });
      this.diffs.set(request.tabName, resolve);
      this.call("open_diff", [request.oldPath, request.newPath, request.newContents, request.tabName]).catch(
        (error: Error) => {
          this.diffs.delete(request.tabName);
          reject(error);
        },
      );
    });
  }

  async select({ path, selection }: SelectRequest): Promise<void> {
    const { anchor, active } = selection;
    await this.call("select", [
      path,
      [anchor.line, anchor.character],
      [active.line, active.character],
      selection.mode ?? "char",
    ]);
  }

  async save(path: string): Promise<boolean> {
    return (await this.call("save", [path])) === true;
  }

  async closeTab(tabName: string): Promise<boolean> {
    return (await this.call("close_tab", [tabName])) === true;
  }

  async closeAllDiffTabs(): Promise<number> {
    return Number(await this.call("close_all_diffs", []));
  }

  private async call(fn: string, args: unknown[]): Promise<unknown> {
    if (this.closed) throw new Error(`${this.name} is no longer connected`);
    return this.nvim.executeLua(`return _G.__rune.${fn}(...)`, args as never[]);
  }

  private onNotification(method: string, args: unknown[]): void {
    if (method !== "rune") return;
    const [kind, payload] = args as [string, unknown];
    try {
      this.handle(kind, payload);
    } catch (error) {
      // A report that does not fit what Rune knows (a race with a closing buffer, say) is dropped;
      // the next one brings the state back in line.
      this.options.logger.debug(`neovim: ${kind} report dropped: ${(error as Error).message}`);
    }
  }

  private handle(kind: string, payload: unknown): void {
    const state = this.options.state;
    switch (kind) {
      case "buffer":
        this.track(payload as NvimBuffer);
        break;
      case "state":
        this.applyState(payload as NvimState);
        break;
      case "saved": {
        const tracked = this.buffers.get((payload as { buf: number }).buf);
        if (tracked?.opened) state.saved(tracked.uri);
        break;
      }
      case "closed":
        this.untrack((payload as { buf: number }).buf);
        break;
      case "diagnostics": {
        const { buf, items } = payload as { buf: number; items: NvimDiagnostic[] };
        const tracked = this.buffers.get(buf);
        if (tracked?.opened) state.setDiagnostics(tracked.uri, items.map(diagnosticOf));
        else if (tracked) this.pendingDiagnostics.set(buf, items);
        break;
      }
      case "lines":
        this.onLines(payload as NvimLines);
        break;
      case "tick": {
        // Undo and redo can move 'changedtick' without a text change: the version follows it.
        const { buf, tick } = payload as { buf: number; tick: number };
        const tracked = this.buffers.get(buf);
        const document = tracked?.opened ? state.document(tracked.uri) : undefined;
        if (tracked && document && document.version !== tick) state.update(tracked.uri, { version: tick });
        break;
      }
      case "mention":
        // :RuneSend / :RuneAdd; a bad report is refused by the state and logged below.
        state.mention(payload as MentionInput);
        break;
      case "diff": {
        const { tab, outcome, contents } = payload as NvimDiffOutcome;
        const resolve = this.diffs.get(tab);
        this.diffs.delete(tab);
        resolve?.(
          outcome === "accepted" ? { accepted: true, contents: contents ?? "" } : { accepted: false },
        );
        break;
      }
    }
  }

  /** Starts following a buffer: its text arrives as the first lines event of nvim_buf_attach. */
  private track(info: NvimBuffer): void {
    const existing = this.buffers.get(info.buf);
    if (existing) {
      existing.info = info;
      if (existing.opened) {
        const document = this.options.state.document(existing.uri);
        if (document && document.languageId !== languageOf(info.filetype)) {
          this.options.state.update(existing.uri, {
            languageId: languageOf(info.filetype),
            tabSize: info.tabstop,
          });
        }
      }
      return;
    }
    const tracked: Tracked = { info, uri: fileUri(info.path), opened: false };
    this.buffers.set(info.buf, tracked);
    void this.attachBuffer(tracked);
  }

  /** Asks the Lua side to attach to the buffer, which sends its whole text, then line changes. */
  private async attachBuffer(tracked: Tracked): Promise<void> {
    const attached = await this.call("attach_buffer", [tracked.info.buf]).catch(() => false);
    // Not loaded (listed only): forgotten, so that the report when it is entered tracks it again.
    if (attached !== true && this.buffers.get(tracked.info.buf) === tracked && !tracked.opened) {
      this.buffers.delete(tracked.info.buf);
    }
  }

  private onLines({ buf, tick, first, last, lines }: NvimLines): void {
    const tracked = this.buffers.get(buf);
    if (!tracked) return;
    const state = this.options.state;
    const version = typeof tick === "number" ? tick : undefined;
    if (!Array.isArray(lines) || !lines.every((line) => typeof line === "string")) {
      this.refuse(tracked, "its lines are not a list of strings");
      return;
    }
    if (last === -1) this.received.wholeBuffers++;
    else {
      this.received.changes++;
      this.received.lines += lines.length;
      for (const line of lines) this.received.characters += line.length;
    }
    if (last === -1) tracked.innerCr = lines.some(hasInnerCr);
    else if (lines.some(hasInnerCr)) tracked.innerCr = true;
    if (!tracked.opened) {
      if (last !== -1) return;
      const { info } = tracked;
      state.open({
        uri: tracked.uri,
        path: info.path,
        languageId: languageOf(info.filetype),
        text: joinLines(lines),
        ...(version !== undefined ? { version } : {}),
        dirty: info.modified,
        tabSize: info.tabstop,
      });
      tracked.opened = true;
      const diagnostics = this.pendingDiagnostics.get(info.buf);
      if (diagnostics) {
        this.pendingDiagnostics.delete(info.buf);
        state.setDiagnostics(tracked.uri, diagnostics.map(diagnosticOf));
      }
      if (this.pendingState?.buf === tracked.info.buf) this.applyState(this.pendingState);
      return;
    }
    let update: { text: string } | { changes: TextChange[] };
    if (last === -1) update = { text: joinLines(lines) };
    else {
      const change = this.lineChange(tracked, first, last, lines);
      if (typeof change === "string") {
        this.refuse(tracked, change);
        return;
      }
      update = { changes: [change] };
    }
    // The dirty flag comes with the next cursor report ('modified'): a change can also make a
    // buffer clean again (undo to the saved text, a reload).
    state.update(tracked.uri, { ...update, ...(version !== undefined ? { version } : {}) });
  }

  /**
   * Lines [first, last) replaced by `lines`, as a change to the document; or why it does not fit
   * the text Rune has (a report lost or out of order, a bug on either side).
   */
  private lineChange(tracked: Tracked, first: number, last: number, lines: string[]): TextChange | string {
    const document = this.options.state.document(tracked.uri);
    if (!document) return "the document is not open";
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0 || last < first)
      return `lines [${first}, ${last}) are not a range`;
    const index = document.lines;
    if (index.length === 0) {
      // An empty buffer is one empty line to Neovim, and no text to Rune (as Neovim writes it).
      if (last > 1) return `lines [${first}, ${last}) run past the one empty line of an empty buffer`;
      const at = { line: 0, character: 0 };
      return { range: { start: at, end: at }, text: `${first === 1 ? "\n" : ""}${joinLines(lines)}` };
    }
    if (!tracked.innerCr) {
      // Lines Rune has, a final empty "line" after the last newline not counted (never the whole text joined).
      const count = index.lineCount - (index.lineStart(index.lineCount - 1) === index.length ? 1 : 0);
      if (last > count) return `lines [${first}, ${last}) run past the ${count} lines Rune has`;
      return linesChange(first, last, lines);
    }
    // Neovim's lines end at newlines only: find them so, and give the range in Rune's positions.
    const starts = newlineStarts(document.text, last);
    if (starts.length <= last)
      return `lines [${first}, ${last}) run past the ${starts.length - 1} lines Rune has`;
    return {
      range: {
        start: index.positionAt(starts[first] as number),
        end: index.positionAt(starts[last] as number),
      },
      text: joinLines(lines),
    };
  }

  /** Drops a line change that does not fit, and asks Neovim for the whole buffer again. */
  private refuse(tracked: Tracked, why: string): void {
    this.refusedChanges++;
    this.options.logger.warn(`neovim: ${tracked.info.path}: line change refused (${why}); resyncing`);
    if (!this.closed) this.call("attach_buffer", [tracked.info.buf]).catch(() => {});
  }

  private applyState(report: NvimState): void {
    const state = this.options.state;
    state.setMode(report.mode);
    if (report.buf === undefined) return;
    const tracked = this.buffers.get(report.buf);
    if (!tracked?.opened) {
      this.pendingState = report;
      return;
    }
    this.pendingState = undefined;
    state.setActive(tracked.uri);
    const document = state.document(tracked.uri);
    if (document && report.modified !== undefined && document.dirty !== report.modified) {
      state.update(tracked.uri, { dirty: report.modified });
    }
    if (report.selection) state.setSelections(tracked.uri, [selectionOf(report.selection)]);
  }

  private untrack(buf: number): void {
    const tracked = this.buffers.get(buf);
    if (!tracked) return;
    this.buffers.delete(buf);
    this.pendingDiagnostics.delete(buf);
    if (tracked.opened) this.options.state.close(tracked.uri);
    // Detached, so that reopening the buffer attaches afresh and receives its whole text again.
    if (!this.closed) this.call("detach_buffer", [buf]).catch(() => {});
  }

  private disconnected(): void {
    if (this.closed) return;
    this.closed = true;
    for (const resolve of this.diffs.values()) resolve({ accepted: false });
    this.diffs.clear();
    if (this.options.state.host === this) this.options.state.attachHost(undefined);
    this.options.onDisconnect?.();
  }
}

/**
 * Connects to Neovim's address: a Unix socket path, or host:port for `nvim --listen 127.0.0.1:6666`.
 * Fails with a message that says what to do, rather than the client's raw socket error later.
 */
function openSocket(address: string): Promise<Socket> {
  const tcp = /^([^/\\]*):(\d+)$/.exec(address);
  const socket = tcp
    ? connectSocket({ host: tcp[1] || "127.0.0.1", port: Number(tcp[2]) })
    : connectSocket({ path: address });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          `cannot connect to Neovim at ${address} (${error.code ?? error.message}): start Neovim with \`nvim --listen ${address}\`, or pass the address it listens on (:echo v:servername)`,
        ),
      );
    });
  });
}

/** The neovim client logs every message at info; only its warnings and errors are worth keeping. */
function quietLogger(logger: Logger) {
  return {
    level: "warn",
    debug() {},
    info() {},
    warn: (message: string) => logger.warn(`neovim client: ${message}`),
    error: (message: string) => logger.error(`neovim client: ${message}`),
  } as never;
}

/** A carriage return that does not end the line: Neovim keeps it inside the line. */
function hasInnerCr(line: string): boolean {
  const cr = line.indexOf("\r");
  return cr !== -1 && cr < line.length - 1;
}

/** Offsets where lines 0..upTo start, counting newlines only (as Neovim does); fewer at the text's end. */
function newlineStarts(text: string, upTo: number): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1 && starts.length <= upTo; at = text.indexOf("\n", at + 1))
    starts.push(at + 1);
  return starts;
}

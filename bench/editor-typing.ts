/**
 * Typing in a 10 MB buffer: what one keystroke costs Rune, followed line by line (the changed
 * lines from nvim_buf_attach callbacks into the engine's piece table and its incrementally derived
 * line index) against the full sync an adapter without line events does (fetch the whole buffer, hand
 * the engine the whole text), in the same run on the same buffer.
 * 1. End to end with a headless Neovim: a character typed in insert mode until the engine holds it.
 * 2. The engine alone: one changed line applied, with the cursor report after it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { attach, type NeovimClient } from "neovim";
import { NeovimAdapter } from "../src/editors/neovim/neovim-adapter.js";
import { EditorState, fileUri } from "../src/engine/index.js";
import { silentLogger } from "../src/protocol/logger.js";
import { fmt, printInfo, printRatio, printTable } from "./lib/report.js";
import { sized } from "./lib/scale.js";
import { median } from "./lib/stats.js";

const KEYS = sized("RUNE_BENCH_KEYS", 200, 30);
/** Full syncs of 10 MB are slow; fewer of them give as steady a median. */
const FULL_KEYS = sized("RUNE_BENCH_FULL_KEYS", 30, 8);
/** 105,000 lines of 99 characters and a newline: 10.5 MB. */
const LINE_COUNT = 105_000;
const MIDDLE = 52_000;

const quiet = { level: "error", debug() {}, info() {}, warn() {}, error() {} } as never;

export async function editorTyping(): Promise<void> {
  // The neovim client replaces console's methods when it builds an API object without a logger.
  const consoleMethods = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const dir = mkdtempSync(join(tmpdir(), "rune-bench-typing-"));
  const socket = join(dir, "nvim.sock");
  const file = join(dir, "ten-mb.txt");
  const line = "z".repeat(99);
  writeFileSync(file, `${Array.from({ length: LINE_COUNT }, () => line).join("\n")}\n`);
  const child = spawn("nvim", ["--headless", "--clean", "-n", "--listen", socket], {
    cwd: dir,
    stdio: "ignore",
  });
  let driver: NeovimClient | undefined;
  let adapter: NeovimAdapter | undefined;
  try {
    for (let i = 0; !existsSync(socket); i++) {
      if (i > 2_000) throw new Error("nvim did not start");
      await sleep(10);
    }
    driver = attach({ socket, options: { logger: quiet } });
    await driver.command(`edit ${file}`);
    const state = new EditorState();
    adapter = await NeovimAdapter.connect({ socket, state, logger: silentLogger });
    const uri = fileUri(file);
    for (let i = 0; !state.selection(uri); i++) {
      if (i > 3_000) throw new Error("the 10 MB buffer did not reach the engine");
      await sleep(10);
    }
    await driver.input(`${MIDDLE}G0i`);
    await sleep(100);
    const incremental = await typeIncremental(driver, state, uri);
    const before = adapter.received.characters;
    const full = await typeWithFullSync(driver);
    const characters = adapter.received.characters - before;
    Object.assign(console, consoleMethods);
    console.log(`\ntyping in a ${fmt((LINE_COUNT * 100) / 1e6)} MB Neovim buffer, one character a keystroke`);
    printTable([
      ["sync", "keystrokes", "median ms/keystroke", "sent per keystroke"],
      [
        "rune: changed lines into the piece table",
        String(KEYS),
        fmt(incremental, 3),
        `${fmt(characters / FULL_KEYS, 0)} chars`,
      ],
      ["full sync: whole buffer fetched and set", String(FULL_KEYS), fmt(full, 2), "10.5 MB"],
    ]);
    printRatio("keystroke, full sync / line changes", full / incremental, { atLeast: 10 });
  } finally {
    await adapter?.close().catch(() => {});
    await driver?.close().catch(() => {});
    child.kill();
    rmSync(dir, { recursive: true, force: true });
    Object.assign(console, consoleMethods);
  }
  engineKeystrokes();
}

/** Median ms from a typed character to the engine holding it (its change event). */
async function typeIncremental(driver: NeovimClient, state: EditorState, uri: string): Promise<number> {
  const times: number[] = [];
  let arrived: (() => void) | undefined;
  const off = state.onEvent((event) => {
    if (event.kind === "document-changed" && event.uri === uri) arrived?.();
  });
  try {
    for (let i = 0; i < KEYS; i++) {
      const changed = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const begin = process.hrtime.bigint();
      await driver.input("a");
      await changed;
      times.push(Number(process.hrtime.bigint() - begin) / 1e6);
    }
  } finally {
    off();
  }
  return median(times);
}

/**
 * The same keystroke, then what an adapter without line events must do: fetch every line over
 * RPC and give the engine the whole text (it diffs and re-indexes it). The adapter above still
 * follows the buffer meanwhile, as it would in a real session: its cost is part of both figures.
 */
async function typeWithFullSync(driver: NeovimClient): Promise<number> {
  const state = new EditorState();
  const uri = "file:///full-sync.txt";
  const buffer = await driver.buffer;
  const fetch = async () =>
    `${((await buffer.getLines({ start: 0, end: -1, strictIndexing: false })) as string[]).join("\n")}\n`;
  state.open({ uri, path: "/full-sync.txt", text: await fetch() });
  state.setActive(uri);
  const times: number[] = [];
  for (let i = 0; i < FULL_KEYS; i++) {
    const begin = process.hrtime.bigint();
    await driver.input("b");
    state.update(uri, { text: await fetch() });
    state.setSelections(uri, [
      { anchor: { line: MIDDLE - 1, character: i }, active: { line: MIDDLE - 1, character: i } },
    ]);
    times.push(Number(process.hrtime.bigint() - begin) / 1e6);
  }
  return median(times);
}

/** The engine alone: one changed line and the cursor report after it, against the whole text. */
function engineKeystrokes(): void {
  const lines = Array.from({ length: LINE_COUNT }, () => "w".repeat(99));
  const state = new EditorState();
  const uri = "file:///engine.txt";
  state.open({ uri, path: "/engine.txt", text: `${lines.join("\n")}\n` });
  state.setActive(uri);
  const cursor = (i: number) =>
    state.setSelections(uri, [
      { anchor: { line: MIDDLE, character: i % 99 }, active: { line: MIDDLE, character: i % 99 } },
    ]);
  cursor(0);
  const per = (n: number, keystroke: (i: number) => void): number => {
    const begin = process.hrtime.bigint();
    for (let i = 0; i < n; i++) keystroke(i);
    return Number(process.hrtime.bigint() - begin) / n / 1e6;
  };
  const lineChange = per(KEYS * 5, (i) => {
    const text = `${"w".repeat(99)}${"q".repeat(1 + (i % 20))}\n`;
    state.update(uri, {
      changes: [
        { range: { start: { line: MIDDLE, character: 0 }, end: { line: MIDDLE + 1, character: 0 } }, text },
      ],
    });
    cursor(i);
  });
  const wholeText = per(FULL_KEYS, (i) => {
    lines[MIDDLE] = `${"w".repeat(99)}${"q".repeat(1 + (i % 20))}`;
    state.update(uri, { text: `${lines.join("\n")}\n` });
    cursor(i);
  });
  console.log("\nengine alone: one keystroke in a 10.5 MB document (change + cursor report)");
  printTable([
    ["update", "ms/keystroke"],
    ["one changed line (incremental line index)", fmt(lineChange, 4)],
    ["whole text (diffed, re-indexed)", fmt(wholeText, 2)],
  ]);
  printInfo(
    "engine keystroke, whole text / changed line",
    wholeText / lineChange,
    "the piece table's gain alone",
  );
}

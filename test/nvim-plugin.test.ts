import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { IdeBridge } from "../src/editors/claude-ide/ide-bridge.js";
import { discoverIdeServers } from "../src/editors/claude-ide/ide-discovery.js";
import { type HeadlessNvim, startNvim, until } from "./helpers/headless-nvim.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { tempDir } from "./helpers/sdk-client.js";

const PLUGIN = fileURLToPath(new URL("../../nvim", import.meta.url));

/** A port that was free a moment ago, for a server started by another process. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the Neovim plugin (nvim/lua/rune) starting Rune from inside Neovim", () => {
  const root = tempDir();
  const config = tempDir();
  const file = join(root, "main.py");
  let nvim: HeadlessNvim;
  let bridge: IdeBridge | undefined;
  let http: Client | undefined;
  let port: number;

  before(async () => {
    writeFileSync(file, "def main():\n    return 42\n");
    port = await freePort();
    nvim = await startNvim(root, { CLAUDE_CONFIG_DIR: config });
    await nvim.driver.command(`set runtimepath+=${PLUGIN}`);
    await nvim.driver.executeLua(
      `require("rune").setup({ cmd = { ... }, args = { "--ide", "--http", "${port}", "--no-auth", "--no-watch", "--log-level", "warn" } })`,
      [process.execPath, RUNE_MAIN],
    );
  });
  after(async () => {
    await bridge?.close();
    await http?.close();
    await nvim.driver.executeLua(`require("rune").stop()`, []).catch(() => {});
    await nvim?.close();
  });

  it("starts `rune serve --nvim` on Neovim's own address, which then reports this Neovim's selection", async () => {
    const [server] = await until(() => {
      const found = discoverIdeServers({ lockDirectory: join(config, "ide"), workspace: root });
      return found.length > 0 ? found : undefined;
    }, "the lock file of the Rune that Neovim started");
    bridge = await IdeBridge.connect(server as NonNullable<typeof server>);
    await nvim.driver.command(`edit ${file}`);
    await nvim.driver.input("jwviw");
    const selection = await until(async () => {
      const s = await bridge?.currentSelection();
      return s?.text === "return" ? s : undefined;
    }, "the selection through Rune's IDE endpoint");
    assert.deepEqual(selection.selection.start, { line: 1, character: 4 });
  });

  it("serves the same editor state on the ordinary Streamable HTTP endpoint", async () => {
    http = new Client({ name: "rune-tests", version: "1.0.0" });
    await http.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    const result = await http.callTool({ name: "getOpenEditors", arguments: {} });
    const { tabs } = JSON.parse((result.content as { text: string }[])[0]?.text ?? "{}") as {
      tabs: { label: string; languageId: string; isActive: boolean }[];
    };
    assert.deepEqual(
      tabs.map((t) => [t.label, t.languageId, t.isActive]),
      [["main.py", "python", true]],
    );
  });
});

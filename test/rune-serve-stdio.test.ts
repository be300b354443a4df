import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RUNE_MAIN } from "./helpers/paths.js";
import { RawStdioPeer } from "./helpers/raw-stdio-peer.js";
import { type Connected, connectSdkClient, tempDir } from "./helpers/sdk-client.js";

describe("rune serve over stdio, driven by the official SDK client", () => {
  const root = tempDir();
  let c: Connected;

  before(async () => {
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root]);
  });
  after(() => c.close());

  it("negotiates the latest revision and reports its identity and capabilities", () => {
    assert.equal(c.client.getServerVersion()?.name, "rune");
    const caps = c.client.getServerCapabilities();
    assert.deepEqual(caps?.tools, { listChanged: true });
    assert.ok(caps?.logging);
    assert.match(c.client.getInstructions() ?? "", /workspace/);
  });

  it("lists workspace_info with input and output schemas and read-only annotations", async () => {
    const { tools } = await c.client.listTools();
    const tool = tools.find((t) => t.name === "workspace_info");
    assert.ok(tool);
    assert.equal(tool.inputSchema.type, "object");
    assert.equal(tool.outputSchema?.type, "object");
    assert.equal(tool.annotations?.readOnlyHint, true);
  });

  it("answers workspace_info with the served folder as structured content", async () => {
    const result = await c.client.callTool({ name: "workspace_info", arguments: {} });
    assert.equal(result.isError, undefined);
    const structured = result.structuredContent as { roots: { path: string }[]; writesAllowed: boolean };
    assert.deepEqual(
      structured.roots.map((r) => r.path),
      [root],
    );
    assert.equal(structured.writesAllowed, false);
  });

  it("answers ping", async () => {
    assert.deepEqual(await c.client.ping(), {});
  });
});

describe("rune serve process lifecycle", () => {
  it("writes nothing but protocol on stdout and says on stderr how to connect a client", async () => {
    const root = tempDir();
    const peer = new RawStdioPeer(process.execPath, [RUNE_MAIN, "serve", root]);
    await peer.initialize();
    assert.equal(await peer.end(), 0);
    assert.match(peer.stderr, /claude mcp add rune -- /);
    assert.ok(peer.stderr.includes(root));
    for (const message of peer.received) assert.equal(message.jsonrpc, "2.0");
  });

  it("exits cleanly on SIGTERM", async () => {
    const peer = new RawStdioPeer(process.execPath, [RUNE_MAIN, "serve", tempDir()]);
    await peer.initialize();
    peer.child.kill("SIGTERM");
    const [code] = await new Promise<[number | null]>((resolve) =>
      peer.child.once("exit", (c) => resolve([c])),
    );
    assert.equal(code, 0);
  });

  it("refuses a root that does not exist with a clear message and exit code 2", async () => {
    const peer = new RawStdioPeer(process.execPath, [RUNE_MAIN, "serve", "/no/such/folder"]);
    assert.equal(await peer.end(), 2);
    assert.match(peer.stderr, /Workspace root \/no\/such\/folder does not exist/);
  });

  it("refuses an unknown flag with the usage text", async () => {
    const peer = new RawStdioPeer(process.execPath, [RUNE_MAIN, "serve", "--bogus"]);
    assert.equal(await peer.end(), 2);
    assert.match(peer.stderr, /Unknown option '--bogus'[\s\S]*Usage: rune serve/);
  });
});

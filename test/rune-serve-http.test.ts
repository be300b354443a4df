import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { tempDir } from "./helpers/sdk-client.js";

describe("rune serve --http", () => {
  let child: ChildProcessWithoutNullStreams;
  let url: URL;
  let token: string;
  const root = tempDir();

  before(async () => {
    child = spawn(process.execPath, [RUNE_MAIN, "serve", "--http", "0", root]);
    let stderr = "";
    child.stderr.setEncoding("utf8");
    while (!/bearer token for this run: (\S+)/.test(stderr)) {
      const [chunk] = (await once(child.stderr, "data")) as [string];
      stderr += chunk;
    }
    url = new URL((/Streamable HTTP on (\S+)/.exec(stderr) as RegExpExecArray)[1] as string);
    token = (/bearer token for this run: (\S+)/.exec(stderr) as RegExpExecArray)[1] as string;
  });
  after(async () => {
    child.kill("SIGTERM");
    await once(child, "exit");
  });

  it("generates a token, shows it once on stderr, and serves the SDK client that presents it", async () => {
    assert.ok(token.length >= 32);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const result = await client.callTool({ name: "workspace_info", arguments: {} });
    assert.equal((result.structuredContent as { roots: { path: string }[] }).roots[0]?.path, root);
    await client.close();
  });

  it("refuses a client without the token", async () => {
    const client = new Client({ name: "t", version: "1" });
    await assert.rejects(client.connect(new StreamableHTTPClientTransport(url)), /401|Unauthorized/);
  });

  it("does not serve stdio when only --http was asked for", async () => {
    child.stdin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(child.exitCode, null);
  });
});

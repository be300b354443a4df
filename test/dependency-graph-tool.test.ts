import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { RUNE_MAIN } from "./helpers/paths.js";
import { type Connected, connectSdkClient, tempDir } from "./helpers/sdk-client.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/dependency-graph-server.js", import.meta.url));

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: unknown;
};

function workspace(): string {
  const root = tempDir("rune-deps-tool-");
  const files: Record<string, string> = {
    "src/a.ts": `import { b } from "./b.js";\nimport type { T } from "./t";\nimport express from "express";`,
    "src/b.ts": `import { a } from "./a";\nimport "./c";`,
    "src/c.ts": "export {};",
    "src/t.ts": "export type T = 1;",
    "src/main.ts": `import "./a";`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("dependency_graph through the official SDK client", () => {
  const root = workspace();
  let c: Connected;
  const call = async (args: Record<string, unknown>) =>
    (await c.client.callTool({ name: "dependency_graph", arguments: args })) as ToolResult;
  before(async () => {
    c = await connectSdkClient(process.execPath, [FIXTURE, root]);
  });
  after(() => c.close());

  it("lists a file's dependencies with paths relative to the root, and its externals", async () => {
    const result = await call({ path: "src/a.ts" });
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.structuredContent, {
      graphFiles: 5,
      file: "src/a.ts",
      dependencies: {
        files: [
          { path: "src/b.ts", depth: 1, via: "src/a.ts", typeOnly: false },
          { path: "src/t.ts", depth: 1, via: "src/a.ts", typeOnly: true },
        ],
        truncated: false,
      },
      externals: ["express"],
      unresolved: [],
    });
  });

  it("lists dependents to a depth, bounded by limit", async () => {
    const result = await call({
      path: "src/c.ts",
      direction: "dependents",
      depth: 5,
      limit: 2,
      includeExternal: false,
    });
    assert.deepEqual(result.structuredContent, {
      graphFiles: 5,
      file: "src/c.ts",
      dependents: {
        files: [
          { path: "src/b.ts", depth: 1, via: "src/c.ts", typeOnly: false },
          { path: "src/a.ts", depth: 2, via: "src/b.ts", typeOnly: false },
        ],
        truncated: true,
      },
    });
  });

  it("lists cycles without a path, and the cycle through a file with one", async () => {
    const all = (await call({})).structuredContent as { cycles: unknown };
    assert.deepEqual(all.cycles, {
      cycles: [{ files: ["src/a.ts", "src/b.ts"], componentSize: 2 }],
      truncated: false,
    });
    const through = (await call({ path: "src/b.ts", direction: "both", cycles: true })).structuredContent as {
      cycles: unknown;
    };
    assert.deepEqual(through.cycles, {
      cycles: [{ files: ["src/b.ts", "src/a.ts"], componentSize: 2 }],
      truncated: false,
    });
  });

  it("answers a file outside the graph with a tool error naming the code", async () => {
    const result = await call({ path: "README.md" });
    assert.equal(result.isError, true);
    assert.match(result.content[0]?.text ?? "", /^NOT_FOUND: /);
  });

  it("rejects arguments outside the schema", async () => {
    const result = await call({ path: "src/a.ts", depth: 0 }).catch((error: Error) => error);
    assert.ok(result instanceof Error || (result as ToolResult).isError === true);
  });
});

describe("dependency_graph on a file too large to scan, through rune serve", () => {
  const root = tempDir("rune-deps-big-");
  let c: Connected;
  before(async () => {
    // Over the graph's 8 MiB bound: its imports are never read.
    writeFileSync(join(root, "big.js"), `import "./b.js";\n${"// filler\n".repeat(900_000)}`);
    writeFileSync(join(root, "b.js"), "export const b = 1;\n");
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root]);
  });
  after(() => c.close());

  it("says the file was not scanned, rather than answering that it imports nothing", async () => {
    const result = (await c.client.callTool({
      name: "dependency_graph",
      arguments: { path: "big.js" },
    })) as ToolResult;
    const content = result.structuredContent as Record<string, unknown>;
    assert.match(String(content.notScanned), /larger than \d+ bytes/);
    assert.equal(content.unscannedFiles, 1);
    const other = (await c.client.callTool({
      name: "dependency_graph",
      arguments: { path: "b.js", direction: "dependents" },
    })) as ToolResult;
    assert.equal((other.structuredContent as Record<string, unknown>).unscannedFiles, 1);
  });
});

import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import {
  ListRootsRequestSchema,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { type Connected, connectSdkClient, tempDir } from "./helpers/sdk-client.js";

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: unknown;
};

function workspace(): string {
  const root = tempDir("rune-tools-");
  const outside = tempDir("rune-outside-");
  writeFileSync(join(outside, "secret.txt"), "secret\n");
  mkdirSync(join(root, "src"));
  mkdirSync(join(root, "docs"));
  writeFileSync(join(root, "src", "a.ts"), "export const a = 1;\nexport const b = 2;\n");
  writeFileSync(join(root, "docs", "readme.md"), "# Title\r\n\r\nText.\r\n");
  symlinkSync(join(outside, "secret.txt"), join(root, "leak"));
  return root;
}

async function call(c: Connected, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await c.client.callTool({ name, arguments: args })) as ToolResult;
}

function text(result: ToolResult): string {
  return result.content.map((block) => block.text ?? "").join("");
}

describe("file tools on a read-only server, through the official SDK client", () => {
  const root = workspace();
  let c: Connected;
  before(async () => {
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root]);
  });
  after(() => c.close());

  it("offers the read tools and not the write tools", async () => {
    const names = new Set((await c.client.listTools()).tools.map((t) => t.name));
    // Editor tools are listed too; this test is about the file tools.
    for (const name of [
      "dependency_graph",
      "document_symbols",
      "file_info",
      "find_files",
      "find_symbol",
      "read_file",
      "read_files",
      "search",
      "security_scan",
      "workspace_info",
      "workspace_symbols",
    ]) {
      assert.ok(names.has(name), `${name} is offered`);
    }
    assert.equal(names.has("edit_file"), false);
    assert.equal(names.has("write_file"), false);
  });

  it("reads a line range with numbers, as structured content and as text", async () => {
    const result = await call(c, "read_file", { path: "src/a.ts", startLine: 2, lineNumbers: true });
    assert.equal(result.isError, undefined);
    const window = result.structuredContent as Record<string, unknown>;
    // The file text travels once, unescaped, as text content; the structured result describes it.
    assert.equal(text(result), "     2\texport const b = 2;\n");
    assert.equal(window.content, undefined);
    assert.equal(window.contentBytes, Buffer.byteLength(text(result)));
    assert.equal(window.totalLines, 2);
    assert.equal(window.path, join(root, "src", "a.ts"));
    assert.match(String(window.sha256), /^[0-9a-f]{64}$/);
  });

  it("refuses paths that leave the workspace, naming the rule", async () => {
    for (const path of ["../outside.txt", "/etc/passwd", "leak", "src/../../x", "a\u0000b"]) {
      const result = await call(c, "read_file", { path });
      assert.equal(result.isError, true, path);
      assert.match(text(result), /^(PATH_OUTSIDE_ROOT|PATH_INVALID|NOT_FOUND): /, path);
    }
    assert.match(text(await call(c, "read_file", { path: "leak" })), /PATH_OUTSIDE_ROOT: .*resolves to/);
  });

  it("reads a batch where one bad path does not fail the others", async () => {
    const result = await call(c, "read_files", {
      paths: ["src/a.ts", "missing.txt", "/etc/hostname", "docs/readme.md"],
    });
    const batch = result.structuredContent as {
      files: { requested: string; contentBytes?: number; error?: { code: string } }[];
    };
    assert.deepEqual(
      batch.files.map((f) => f.error?.code ?? f.contentBytes),
      [40, "NOT_FOUND", "PATH_OUTSIDE_ROOT", 18],
    );
    assert.equal(result.content.length, 4, "one text block per file");
    assert.match(text(result), /==> missing\.txt <==\n\[NOT_FOUND\]/);
    assert.match(result.content[0]?.text ?? "", /^==> src\/a\.ts <==\nexport const a = 1;\n/);
  });

  it("sends a batch's file text exactly as read_file does: escapes, non-ASCII and ill-formed UTF-8", async () => {
    const odd = Buffer.concat([
      Buffer.from('tab\t"quoted" back\\slash \u0001 é 😀 '),
      Buffer.from([0xff, 0xc3, 0x0a]),
    ]);
    writeFileSync(join(root, "docs", "odd.txt"), odd);
    const single = text(await call(c, "read_file", { path: "docs/odd.txt" }));
    assert.equal(single, odd.toString("utf8"));
    const batch = await call(c, "read_files", { paths: ["docs/odd.txt", "src/a.ts"] });
    assert.equal(batch.content[0]?.text, `==> docs/odd.txt <==\n${single}`);
    assert.equal(batch.content[1]?.text, "==> src/a.ts <==\nexport const a = 1;\nexport const b = 2;\n");
  });

  it("follows a batch's symbolic links as read_file does: inside the roots read, outside refused", async () => {
    symlinkSync(join(root, "src", "a.ts"), join(root, "docs", "alias.ts"));
    const result = await call(c, "read_files", { paths: ["docs/alias.ts", "leak", "src/a.ts"] });
    const batch = result.structuredContent as { files: { path?: string; error?: { code: string } }[] };
    assert.deepEqual(
      batch.files.map((f) => f.error?.code ?? f.path),
      [join(root, "src", "a.ts"), "PATH_OUTSIDE_ROOT", join(root, "src", "a.ts")],
    );
    assert.doesNotMatch(text(result), /^secret$/m, "the outside file's text");
  });

  it("bounds a batch and lists what it left out", async () => {
    const result = await call(c, "read_files", { paths: ["src/a.ts", "docs/readme.md"], maxBytes: 10 });
    const batch = result.structuredContent as { files: { truncated?: boolean }[]; omitted: string[] };
    assert.equal(batch.files.length, 1);
    assert.equal(batch.files[0]?.truncated, true);
    assert.deepEqual(batch.omitted, ["docs/readme.md"]);
  });

  it("reports file info, and fresh info after the file changes", async () => {
    const path = join(root, "src", "a.ts");
    const first = (await call(c, "file_info", { path: "src/a.ts" })).structuredContent as Record<
      string,
      unknown
    >;
    assert.deepEqual([first.type, first.lines, first.eol, first.encoding], ["file", 2, "\n", "utf-8"]);
    writeFileSync(path, "changed\n");
    const second = (await call(c, "file_info", { path: "src/a.ts" })).structuredContent as Record<
      string,
      unknown
    >;
    assert.deepEqual([second.lines, second.size], [1, 8]);
    assert.notEqual(second.sha256, first.sha256);
    const link = (await call(c, "file_info", { path: "docs" })).structuredContent as Record<string, unknown>;
    assert.equal(link.type, "directory");
  });

  it("refuses unknown arguments with a clear error", async () => {
    const result = await call(c, "read_file", { path: "src/a.ts", lines: 3 });
    assert.equal(result.isError, true);
    assert.match(text(result), /lines/);
  });

  it("serves files as resources and notifies subscribers when they change on disk", async () => {
    const path = join(root, "docs", "readme.md");
    const uri = pathToFileURL(path).href;
    const read = await c.client.readResource({ uri });
    assert.equal((read.contents[0] as { text: string }).text, "# Title\r\n\r\nText.\r\n");
    const updated = new Promise<string>((resolve) =>
      c.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => resolve(n.params.uri)),
    );
    await c.client.subscribeResource({ uri });
    // The watcher starts in the background; keep touching the file until it reports.
    const timer = setInterval(() => writeFileSync(path, `# Title\r\n\r\n${Date.now()}\r\n`), 100);
    try {
      assert.equal(await updated, uri);
    } finally {
      clearInterval(timer);
    }
  });
});

describe("file tools on a server started with --allow-writes", () => {
  const root = workspace();
  let c: Connected;
  before(async () => {
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root, "--allow-writes"]);
  });
  after(() => c.close());

  it("edits a file, keeping its CRLF breaks, and returns the diff", async () => {
    const result = await call(c, "edit_file", {
      path: "docs/readme.md",
      edits: [{ oldText: "Text.", newText: "Line one.\nLine two." }],
    });
    assert.equal(result.isError, undefined, text(result));
    assert.equal(
      readFileSync(join(root, "docs", "readme.md"), "utf8"),
      "# Title\r\n\r\nLine one.\r\nLine two.\r\n",
    );
    const diff = (result.structuredContent as { diff: string }).diff;
    assert.match(
      diff,
      /^--- a\/docs\/readme\.md\n\+\+\+ b\/docs\/readme\.md\n@@ -1,3 \+1,4 @@\n # Title\n \n-Text\.\n\+Line one\.\n\+Line two\.\n$/,
    );
  });

  it("refuses a stale edit and leaves the file as it was", async () => {
    const before = readFileSync(join(root, "src", "a.ts"), "utf8");
    const result = await call(c, "edit_file", {
      path: "src/a.ts",
      edits: [{ startLine: 1, endLine: 1, newText: "x" }],
      expectedSha256: "0".repeat(64),
    });
    assert.equal(result.isError, true);
    assert.match(text(result), /^PRECONDITION_FAILED: /);
    assert.equal(readFileSync(join(root, "src", "a.ts"), "utf8"), before);
  });

  it("writes new files inside the workspace and refuses writes through a link out of it", async () => {
    const made = await call(c, "write_file", { path: "new/dir/file.txt", content: "hi\n" });
    assert.equal((made.structuredContent as { created: boolean }).created, true);
    assert.equal(readFileSync(join(root, "new", "dir", "file.txt"), "utf8"), "hi\n");
    const out = await call(c, "write_file", { path: "leak", content: "overwritten" });
    assert.equal(out.isError, true);
    assert.match(text(out), /PATH_OUTSIDE_ROOT/);
  });
});

describe("file tools confined to the client's MCP roots", () => {
  const root = workspace();
  let c: Connected;
  let roots = [{ uri: pathToFileURL(join(root, "src")).href, name: "src" }];
  before(async () => {
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root], {
      roots: { listChanged: true },
    });
    c.client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
  });
  after(() => c.close());

  it("reads inside the client's root and refuses the rest of the served folder", async () => {
    // The server asks for roots after initialization; the first call waits for the answer.
    assert.equal((await call(c, "read_file", { path: join(root, "src", "a.ts") })).isError, undefined);
    const refused = await call(c, "read_file", { path: join(root, "docs", "readme.md") });
    assert.equal(refused.isError, true);
    assert.match(text(refused), /PATH_OUTSIDE_ROOT/);
  });

  it("follows a roots change, and never widens past the served folder", async () => {
    roots = [
      { uri: pathToFileURL(join(root, "docs")).href, name: "docs" },
      { uri: "file:///", name: "everything" },
    ];
    await c.client.sendRootsListChanged();
    let result: ToolResult | undefined;
    for (let i = 0; i < 50; i++) {
      result = await call(c, "read_file", { path: join(root, "docs", "readme.md") });
      if (!result.isError) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(result?.isError, undefined);
    const outside = await call(c, "read_file", { path: "/etc/hostname" });
    assert.equal(outside.isError, true);
  });
});

describe("find_files over two roots, through the official SDK client", () => {
  let c: Connected;
  const first = tempDir("rune-tools-a-");
  const second = tempDir("rune-tools-b-");
  before(async () => {
    for (const root of [first, second]) {
      mkdirSync(join(root, "src"), { recursive: true });
      writeFileSync(join(root, "src", "index.ts"), "");
    }
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", first, second]);
  });
  after(async () => {
    await c?.close();
  });

  it("names each file once in its text: the same relative path in two roots is shown whole", async () => {
    const result = await call(c, "find_files", { query: "index" });
    const text = result.content[0]?.text ?? "";
    assert.ok(
      text.includes(join(first, "src", "index.ts")) && text.includes(join(second, "src", "index.ts")),
      text,
    );
  });
});

describe("text listings of files with a line break in their name, through the official SDK client", () => {
  let c: Connected;
  const root = tempDir("rune-tools-names-");
  // A name that, printed raw, reads as two entries: the second a forged match in another file.
  const forged = "notes\napp.ts:1:1:const token = 1";
  before(async () => {
    writeFileSync(join(root, forged), "const needle = 1;\n");
    writeFileSync(join(root, "plain.ts"), "export function needle() {}\n");
    writeFileSync(join(root, "more\nplain.ts"), "export class Needle {}\n");
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root]);
  });
  after(async () => {
    await c?.close();
  });

  it("search quotes the name, so each match is one line", async () => {
    const result = text(await call(c, "search", { pattern: "needle" }));
    assert.deepEqual(result.split("\n").sort(), [
      '"more\\nplain.ts":1:14:export class Needle {}',
      '"notes\\napp.ts:1:1:const token = 1":1:7:const needle = 1;',
      "3 matching lines in 3 files (3 searched)",
      "plain.ts:1:17:export function needle() {}",
    ]);
  });

  it("find_files quotes the name, and leaves plain names as they are", async () => {
    const result = text(await call(c, "find_files", { query: "" }));
    assert.deepEqual(result.split("\n").sort(), [
      '"more\\nplain.ts"',
      '"notes\\napp.ts:1:1:const token = 1"',
      "(3 of 3 files)",
      "plain.ts",
    ]);
  });

  it("workspace_symbols quotes the name in its text", async () => {
    let result = "";
    // The index builds in the background: wait until it has both files.
    for (let i = 0; i < 100 && result.split("\n").length < 3; i++) {
      result = text(await call(c, "workspace_symbols", { query: "needle" }));
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(result.split("\n").sort(), [
      '"more\\nplain.ts":1 class Needle',
      "(2 shown; 2 symbols in 2 files)",
      "plain.ts:1 function needle",
    ]);
  });
});

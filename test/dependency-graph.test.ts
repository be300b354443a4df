// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${configDir} is tsconfig's placeholder, not a template
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { DependencyGraph, Engine, EngineError, WorkspaceRoots } from "../src/engine/index.js";
import { tempDir } from "./helpers/sdk-client.js";

/** Writes `files` (relative path → text) under a fresh folder and returns the folder. */
function fixture(files: Record<string, string>, root = tempDir("rune-deps-")): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Every file below `root`, skipping node_modules and .git, as a walker would list them. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (/[/\\](node_modules|\.git)([/\\]|$)/.test(relative(root, path))) continue;
    if (relative(root, path).startsWith("node_modules")) continue;
    if (entry.isFile() || entry.isSymbolicLink()) out.push(path);
  }
  return out;
}

async function graphOf(root: string, options = {}): Promise<DependencyGraph> {
  return DependencyGraph.build(new WorkspaceRoots([root]), listFiles(root), options);
}

/** The graph's files, relative to `root`, sorted. */
function graphFiles(graph: DependencyGraph, root: string): string[] {
  return graph
    .files()
    .map((f) => relative(root, f))
    .sort();
}

/** The direct dependencies of `file`, relative to `root`, sorted. */
function deps(graph: DependencyGraph, root: string, file: string, depth = 1): string[] {
  return graph
    .dependencies(join(root, file), { depth })
    .files.map((f) => relative(root, f.path))
    .sort();
}

describe("dependency graph: TypeScript and JavaScript", () => {
  const root = fixture({
    "tsconfig.json": `{
      // comments and trailing commas, as tsconfig allows
      "extends": "./tsconfig.base.json",
      "compilerOptions": { "strict": true, },
    }`,
    "tsconfig.base.json": `{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"], "~config": ["src/config.ts"] } } }`,
    "src/main.ts": [
      `import { a } from "./a.js";`,
      `import type { T } from "./types";`,
      `import { helper } from "@lib/helper";`,
      `import config from "~config";`,
      `import util from "./util";`,
      `import fs from "node:fs";`,
      `import React from "react";`,
      `import { x } from "lodash/fp";`,
      `const lazy = () => import("./lazy.mjs");`,
      `import data from "./data.json";`,
      `import "./missing";`,
    ].join("\n"),
    "src/a.ts": `export * from "./b";\nexport const a = 1;`,
    "src/a.js": "// build output beside the source: a TypeScript importer of ./a.js means a.ts",
    "src/b.tsx": `import { a } from "./a";\nexport const B = () => <div>Don't import "./nothing"</div>;`,
    "src/types.d.ts": "export type T = number;",
    "src/lib/helper.ts": "export const helper = 1;",
    "src/config.ts": "export default {};",
    "src/util/index.ts": `const old = require("./legacy.cjs");`,
    "src/util/legacy.cjs": `module.exports = require("../../packages/ui");`,
    "src/lazy.mjs": "export default 1;",
    "src/data.json": "{}",
    "packages/ui/package.json": `{ "name": "@acme/ui", "exports": { ".": { "types": "./dist/index.d.ts", "import": "./src/index.ts" }, "./button": "./src/button.ts" }, "imports": { "#internal": "./src/internal.ts" } }`,
    "packages/ui/src/index.ts": `export * from "#internal";\nexport * from "@acme/ui/button";`,
    "packages/ui/src/internal.ts": "export const internal = 1;",
    "packages/ui/src/button.ts": "export const Button = 1;",
    "packages/ui/index.js": "module.exports = 1;",
    "app/use-ui.ts": `import { Button } from "@acme/ui/button";\nimport ui from "@acme/ui";`,
  });

  it("resolves relative paths, .js written for .ts, extension and index probing, and JSON", async () => {
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "src/main.ts"), [
      "src/a.ts",
      "src/config.ts",
      "src/data.json",
      "src/lazy.mjs",
      "src/lib/helper.ts",
      "src/types.d.ts",
      "src/util/index.ts",
    ]);
    assert.deepEqual(deps(graph, root, "src/util/index.ts"), ["src/util/legacy.cjs"]);
    assert.deepEqual(deps(graph, root, "src/util/legacy.cjs"), ["packages/ui/index.js"]);
  });

  it("reports built-ins and packages as externals by name, and what leads nowhere as unresolved", async () => {
    const graph = await graphOf(root);
    assert.deepEqual(graph.externals(join(root, "src/main.ts")), ["lodash", "node:fs", "react"]);
    assert.deepEqual(graph.unresolved(join(root, "src/main.ts")), ["./missing"]);
  });

  it("flags type-only imports and can leave them out", async () => {
    const graph = await graphOf(root);
    const typeImport = graph.imports(join(root, "src/main.ts")).find((r) => r.specifier === "./types");
    assert.equal(typeImport?.typeOnly, true);
    const values = graph.dependencies(join(root, "src/main.ts"), { includeTypeOnly: false }).files;
    assert.ok(!values.some((f) => f.path.endsWith("types.d.ts")));
  });

  it("resolves workspace packages through exports and #imports", async () => {
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "app/use-ui.ts"), [
      "packages/ui/src/button.ts",
      "packages/ui/src/index.ts",
    ]);
    assert.deepEqual(deps(graph, root, "packages/ui/src/index.ts"), [
      "packages/ui/src/button.ts",
      "packages/ui/src/internal.ts",
    ]);
  });

  it("takes an installed package over a folder whose package.json has its name, and an installed link into the workspace as that package", async () => {
    const app = fixture({
      "src/main.ts": 'import _ from "lodash";\nimport { ui } from "@acme/ui";\n',
      // A test fixture named like a real dependency: not what the import loads.
      "test/fixtures/lodash/package.json": '{ "name": "lodash", "main": "index.js" }',
      "test/fixtures/lodash/index.js": "module.exports = {};\n",
      "node_modules/lodash/package.json": '{ "name": "lodash", "main": "lodash.js" }',
      "node_modules/lodash/lodash.js": "module.exports = {};\n",
      "packages/ui/package.json": '{ "name": "@acme/ui", "main": "index.ts" }',
      "packages/ui/index.ts": "export const ui = 1;\n",
    });
    mkdirSync(join(app, "node_modules/@acme"), { recursive: true });
    symlinkSync(join(app, "packages/ui"), join(app, "node_modules/@acme/ui"));
    const graph = await graphOf(app);
    assert.deepEqual(deps(graph, app, "src/main.ts"), ["packages/ui/index.ts"]);
    assert.deepEqual(graph.externals(join(app, "src/main.ts")), ["lodash"]);
  });

  it("takes a package installed above the workspace (one package of a monorepo opened alone) as installed", async () => {
    const parent = fixture({
      "node_modules/lodash/package.json": '{ "name": "lodash", "main": "lodash.js" }',
      "node_modules/lodash/lodash.js": "",
      "ws/src/main.ts": 'import _ from "lodash";\n',
      "ws/test/fixtures/lodash/package.json": '{ "name": "lodash", "main": "index.js" }',
      "ws/test/fixtures/lodash/index.js": "",
    });
    const ws = join(parent, "ws");
    const graph = await graphOf(ws);
    assert.deepEqual(deps(graph, ws, "src/main.ts"), []);
    assert.deepEqual(graph.externals(join(ws, "src/main.ts")), ["lodash"]);
  });

  it("follows dependencies to a depth, nearest first, with the file each was reached from", async () => {
    const graph = await graphOf(root);
    const reached = graph.dependencies(join(root, "src/util/index.ts"), { depth: 3 }).files;
    assert.deepEqual(
      reached.map((f) => [relative(root, f.path), f.depth, relative(root, f.via)]),
      [
        ["src/util/legacy.cjs", 1, "src/util/index.ts"],
        ["packages/ui/index.js", 2, "src/util/legacy.cjs"],
      ],
    );
  });

  it("finds an import cycle and reports it as a path", async () => {
    const graph = await graphOf(root);
    const { cycles, truncated } = graph.cycles();
    assert.equal(truncated, false);
    assert.deepEqual(
      cycles.map((c) => c.files.map((f) => relative(root, f))),
      [["src/a.ts", "src/b.tsx"]],
    );
    assert.equal(cycles[0]?.componentSize, 2);
  });

  it("bounds the files of all cycles together, cutting a cycle longer than the bound", async () => {
    const ring = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`ring/f${i}.ts`, `import "./f${(i + 1) % 50}";`]),
    );
    const pairs = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        [`pairs/a${i}.ts`, `import "./b${i}";`],
        [`pairs/b${i}.ts`, `import "./a${i}";`],
      ]).flat(),
    );
    const graph = await graphOf(fixture({ ...ring, ...pairs }));
    const cut = graph.cycles({ limit: 10 });
    assert.deepEqual(
      cut.cycles.map((c) => [c.files.length, c.componentSize, c.truncated ?? false]),
      [[10, 50, true]],
    );
    assert.equal(cut.truncated, true);
    const some = graph.cycles({ limit: 55 });
    assert.deepEqual(
      some.cycles.map((c) => c.files.length),
      [50, 2, 2],
    );
    assert.equal(some.truncated, true);
    const all = graph.cycles({ limit: 70 });
    assert.equal(all.cycles.length, 11);
    assert.equal(all.truncated, false);
  });

  it("lists dependents, transitively, and bounds the output with a truncated flag", async () => {
    const graph = await graphOf(root);
    const direct = graph.dependents(join(root, "src/a.ts")).files.map((f) => relative(root, f.path));
    assert.deepEqual(direct.sort(), ["src/b.tsx", "src/main.ts"]);
    const deep = graph.dependents(join(root, "packages/ui/src/internal.ts"), { depth: 5 });
    assert.deepEqual(
      deep.files.map((f) => [relative(root, f.path), f.depth]),
      [
        ["packages/ui/src/index.ts", 1],
        ["app/use-ui.ts", 2],
      ],
    );
    const bounded = graph.dependencies(join(root, "src/main.ts"), { limit: 2 });
    assert.equal(bounded.files.length, 2);
    assert.equal(bounded.truncated, true);
  });

  it("refuses a file it does not know with NOT_FOUND", async () => {
    const graph = await graphOf(root);
    assert.throws(
      () => graph.dependencies(join(root, "README.md")),
      (error) => error instanceof EngineError && error.code === "NOT_FOUND",
    );
  });
});

describe("dependency graph: TypeScript's resolution rules", () => {
  it("applies the nearest tsconfig, even one without paths, with ${configDir} and # aliases, before built-ins", async () => {
    const root = fixture({
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          baseUrl: ".",
          paths: {
            "@/*": ["web/src/*"],
            "#components/*": ["${configDir}/web/ui/*"],
            constants: ["web/constants.ts"],
          },
        },
      }),
      "web/src/util.ts": "",
      "web/ui/button.tsx": "",
      "web/constants.ts": "",
      "web/main.ts": `import "@/util"; import "#components/button"; import "constants";`,
      // A nested project with a config of its own that sets no paths: the root's aliases are not its.
      "server/tsconfig.json": JSON.stringify({ compilerOptions: { strict: true } }),
      "server/main.ts": `import "@/util"; import "constants";`,
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "web/main.ts"), [
      "web/constants.ts",
      "web/src/util.ts",
      "web/ui/button.tsx",
    ]);
    assert.deepEqual(deps(graph, root, "server/main.ts"), []);
    assert.deepEqual(graph.externals(join(root, "server/main.ts")), ["@/util", "constants"]);
  });

  it("takes a solution-style tsconfig's referenced project that includes the file, as Vite's template has it", async () => {
    const root = fixture({
      "tsconfig.json": JSON.stringify({
        files: [],
        references: [{ path: "./tsconfig.app.json" }, { path: "./tsconfig.node.json" }],
      }),
      "tsconfig.app.json": JSON.stringify({
        compilerOptions: { paths: { "@/*": ["./src/*"] } },
        include: ["src"],
      }),
      "tsconfig.node.json": JSON.stringify({
        compilerOptions: { paths: { "@/*": ["./tools/*"] } },
        include: ["vite.config.ts"],
      }),
      "src/components/Button.tsx": "",
      "src/main.tsx": `import "@/components/Button";`,
      "tools/plugin.ts": "",
      "vite.config.ts": `import "@/plugin";`,
      "other/x.ts": `import "@/components/Button";`,
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "src/main.tsx"), ["src/components/Button.tsx"]);
    assert.deepEqual(deps(graph, root, "vite.config.ts"), ["tools/plugin.ts"]);
    // Held by no referenced project: the solution's own (empty) mapping applies.
    assert.deepEqual(deps(graph, root, "other/x.ts"), []);
  });

  it("reads a referenced project's include through extends, from its own folder or above", async () => {
    const root = fixture({
      "tsconfig.json": JSON.stringify({
        files: [],
        references: [{ path: "./tsconfig.node.json" }, { path: "./tsconfig.app.json" }, { path: "./app" }],
      }),
      // include and paths come from the bases, relative to them; ${configDir} is the leaf's folder.
      "config/node.base.json": JSON.stringify({ include: ["${configDir}/vite.config.ts"] }),
      "tsconfig.node.json": JSON.stringify({ extends: "./config/node.base.json" }),
      "config/app.base.json": JSON.stringify({
        compilerOptions: { paths: { "@/*": ["${configDir}/src/*"] } },
        include: ["../src/**/*.tsx", "../src/**/*.ts"],
      }),
      "tsconfig.app.json": JSON.stringify({ extends: "./config/app.base.json" }),
      "src/components/Button.tsx": "",
      "src/main.tsx": `import "@/components/Button";`,
      "vite.config.ts": `import "@/components/Button";`,
      // A project whose include leads out of its folder.
      "app/tsconfig.json": JSON.stringify({
        compilerOptions: { paths: { "~/*": ["../lib/*"] } },
        include: ["../lib"],
      }),
      "lib/a.ts": `import "~/b";`,
      "lib/b.ts": "",
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "src/main.tsx"), ["src/components/Button.tsx"]);
    assert.deepEqual(deps(graph, root, "vite.config.ts"), []);
    assert.deepEqual(deps(graph, root, "lib/a.ts"), ["lib/b.ts"]);
  });

  it("under nodenext, takes a CommonJS package's static imports as require(), and an ES package's as imports", async () => {
    const dual = {
      name: "@ws/dual",
      exports: { ".": { import: "./esm.mts", require: "./cjs.cts" } },
    };
    const root = fixture({
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext" } }),
      "pkgs/dual/package.json": JSON.stringify(dual),
      "pkgs/dual/esm.mts": "",
      "pkgs/dual/cjs.cts": "",
      "cjs-app/package.json": JSON.stringify({ name: "cjs-app" }),
      "cjs-app/main.ts": `import { x } from "@ws/dual"; const y = import("@ws/dual");`,
      "esm-app/package.json": JSON.stringify({ name: "esm-app", type: "module" }),
      "esm-app/main.ts": `import { x } from "@ws/dual";`,
      // Bundler resolution: every import is an ES import, whatever the package says.
      "bundled/tsconfig.json": JSON.stringify({ compilerOptions: { moduleResolution: "bundler" } }),
      "bundled/package.json": JSON.stringify({ name: "bundled" }),
      "bundled/main.ts": `import { x } from "@ws/dual";`,
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "cjs-app/main.ts"), ["pkgs/dual/cjs.cts", "pkgs/dual/esm.mts"]);
    assert.deepEqual(deps(graph, root, "esm-app/main.ts"), ["pkgs/dual/esm.mts"]);
    assert.deepEqual(deps(graph, root, "bundled/main.ts"), ["pkgs/dual/esm.mts"]);
  });

  it("tries baseUrl before Node's built-in names, and not for a specifier a paths pattern matched", async () => {
    const root = fixture({
      "tsconfig.json": JSON.stringify({
        compilerOptions: { baseUrl: "src", paths: { "lib/*": ["vendor/*"] } },
      }),
      "src/events.ts": "",
      "src/constants/index.ts": "",
      "src/lib/q.ts": "",
      "src/main.ts": `import "events"; import "constants"; import "lib/q"; import "fs";`,
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "src/main.ts"), ["src/constants/index.ts", "src/events.ts"]);
    // lib/q matched a pattern that leads nowhere: not src/lib/q.ts, so a package's, as any name.
    assert.deepEqual(graph.externals(join(root, "src/main.ts")), ["fs", "lib"]);
  });

  it("takes CommonJS conditions for require() and .cts files, a main naming a folder, and the longer of two export patterns", async () => {
    const root = fixture({
      "packages/dual/package.json": JSON.stringify({
        name: "@ws/dual",
        exports: {
          ".": { import: "./esm.mts", require: "./cjs.cts" },
          "./feat/*": "./feat/*/index.ts",
          "./feat/*.js": "./feat/*.ts",
        },
      }),
      "packages/dual/esm.mts": "",
      "packages/dual/cjs.cts": "",
      "packages/dual/feat/x.ts": "",
      "packages/lib/package.json": JSON.stringify({ name: "@ws/lib", main: "./lib" }),
      "packages/lib/lib/index.js": "",
      "esm.ts": `import "@ws/dual"; import "@ws/dual/feat/x.js"; import "@ws/lib";`,
      "legacy.cts": `import d from "@ws/dual";`,
      "assign.ts": `import d = require("@ws/dual");`,
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "esm.ts"), [
      "packages/dual/esm.mts",
      "packages/dual/feat/x.ts",
      "packages/lib/lib/index.js",
    ]);
    assert.deepEqual(deps(graph, root, "legacy.cts"), ["packages/dual/cjs.cts"]);
    assert.deepEqual(deps(graph, root, "assign.ts"), ["packages/dual/cjs.cts"]);
  });
});

describe("dependency graph: Python", () => {
  const root = fixture({
    "app/__init__.py": "",
    "app/main.py": [
      `"""import fake  # in a docstring"""`,
      "import os, json",
      "from . import models",
      "from .services.mail import send",
      "from app.util import (helpers,",
      "    text as t)  # continued",
      "import requests",
      "def later():",
      "    import app.services",
    ].join("\n"),
    "app/models.py": "from .util.helpers import x",
    "app/services/__init__.py": "",
    "app/services/mail.py": "from ..models import Model",
    "app/util/__init__.py": "",
    "app/util/helpers.py": "x = 1",
    "app/util/text.py": "",
  });

  it("resolves relative levels, packages, submodules named in from-imports, and externals", async () => {
    const graph = await graphOf(root);
    // Importing app.util runs app/__init__.py first: the package is a dependency too.
    assert.deepEqual(deps(graph, root, "app/main.py"), [
      "app/__init__.py",
      "app/models.py",
      "app/services/__init__.py",
      "app/services/mail.py",
      "app/util/__init__.py",
      "app/util/helpers.py",
      "app/util/text.py",
    ]);
    assert.deepEqual(graph.externals(join(root, "app/main.py")), ["json", "os", "requests"]);
    assert.deepEqual(deps(graph, root, "app/services/mail.py"), ["app/models.py"]);
  });
});

describe("dependency graph: Python's own rules", () => {
  it("has no implicit relative imports, prefers a package to a module, and stops at the top-level package", async () => {
    const root = fixture({
      "mylib/__init__.py": "",
      // Inside a package, `import json` is the standard library's, not the module beside it.
      "mylib/core.py": "import json\nimport logging\n",
      "mylib/json.py": "",
      "mylib/logging.py": "import logging\n",
      "app/__init__.py": "",
      "app/util.py": "",
      "app/util/__init__.py": "",
      "app/main.py": "from app import util\n",
      "top/__init__.py": "",
      "top/mod.py": "from .. import sibling\n",
      "sibling.py": "",
      // A script beside its helper, outside any package, does find it.
      "scripts/tool.py": "import helper\n",
      "scripts/helper.py": "",
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "mylib/core.py"), []);
    assert.deepEqual(graph.externals(join(root, "mylib/core.py")), ["json", "logging"]);
    assert.deepEqual(graph.cycles().cycles, [], "no self-cycle through mylib/logging.py");
    assert.deepEqual(deps(graph, root, "app/main.py"), ["app/__init__.py", "app/util/__init__.py"]);
    assert.deepEqual(graph.unresolved(join(root, "top/mod.py")), [".."]);
    assert.deepEqual(deps(graph, root, "scripts/tool.py"), ["scripts/helper.py"]);
  });

  it("resolves from . import * to the package, and a namespace package inside a regular one", async () => {
    const root = fixture({
      "app/__init__.py": "",
      "app/plugins/extra/tool.py": "",
      "app/sub/__init__.py": "",
      "app/sub/user.py": "import app.plugins.extra\nfrom . import *\nfrom .. import *\n",
      "app/nsdir/sub/x.py": "",
      "app/m.py": "from .nsdir import sub\nfrom .plugins.extra import *\n",
      "lib/ns2/a.py": "from . import *\n",
      // A namespace folder at the top level does not shadow an installed package of its name.
      "requests/notes.py": "",
      "main.py": "import requests\n",
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "app/sub/user.py"), ["app/__init__.py", "app/sub/__init__.py"]);
    assert.deepEqual(graph.externals(join(root, "app/sub/user.py")), []);
    assert.deepEqual(graph.unresolved(join(root, "app/sub/user.py")), []);
    assert.deepEqual(graph.externals(join(root, "main.py")), ["requests"]);
    // Relative imports of namespace packages within a package, and from one.
    assert.deepEqual(graph.unresolved(join(root, "app/m.py")), []);
    assert.deepEqual(graph.unresolved(join(root, "lib/ns2/a.py")), []);
  });

  it("reads imports after a compound statement's colon and after a byte-order mark", async () => {
    const root = fixture({
      "main.py": [
        "\uFEFFimport first",
        "try: import ujson as json",
        "except ImportError: import simplejson as json",
        "if TYPE_CHECKING: from typing_extensions import Self",
        "def f(): import inner",
        "handler = lambda event: event.imported",
        "limit: int = 3",
      ].join("\n"),
    });
    const graph = await graphOf(root);
    assert.deepEqual(graph.externals(join(root, "main.py")), [
      "first",
      "inner",
      "simplejson",
      "typing_extensions",
      "ujson",
    ]);
  });
});

describe("dependency graph: Go", () => {
  const root = fixture({
    "go.mod": "module example.com/shop\n\ngo 1.22\n\nreplace example.com/shared => ./third_party/shared\n",
    "cmd/server/main.go": `package main

import (
	"fmt"
	db "example.com/shop/internal/db"
	_ "example.com/shared/log"
	"github.com/lib/pq"
)

func main() { fmt.Println("import \\"nope\\"") }
`,
    "internal/db/db.go": `package db\nimport "example.com/shop/internal/model"\n`,
    "internal/db/conn.go": "package db\n",
    "internal/db/db_test.go": `package db\nimport "testing"\n`,
    "internal/model/model.go": "package model\n",
    "third_party/shared/log/log.go": "package log\n",
  });

  it("resolves module-local packages to their files, without tests, and local replacements", async () => {
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "cmd/server/main.go"), [
      "internal/db/conn.go",
      "internal/db/db.go",
      "third_party/shared/log/log.go",
    ]);
    assert.deepEqual(graph.externals(join(root, "cmd/server/main.go")), ["fmt", "github.com/lib/pq"]);
    assert.deepEqual(deps(graph, root, "cmd/server/main.go", 2), [
      "internal/db/conn.go",
      "internal/db/db.go",
      "internal/model/model.go",
      "third_party/shared/log/log.go",
    ]);
  });

  it("counts _test.go files as part of a package when asked", async () => {
    const graph = await graphOf(root, { goTests: true });
    assert.ok(deps(graph, root, "cmd/server/main.go").includes("internal/db/db_test.go"));
  });

  it("leaves out files the go command ignores, other modules' folders, and takes the longest replace", async () => {
    const go = fixture({
      "go.mod": [
        "module example.com/shop",
        "replace example.com/a/b => ./third_party/ab",
        "replace example.com/a => ./third_party/a",
      ].join("\n"),
      "cmd/main.go": `package main\nimport (\n\t"example.com/shop/pkg"\n\t"example.com/a/b/c"\n\t"example.com/shop/tools/lint"\n)\n`,
      "pkg/pkg.go": "package pkg\n",
      "pkg/_scratch.go": `package pkg\nimport "example.com/shop/cmd"\n`,
      "pkg/.#pkg.go": "package pkg\n",
      "third_party/ab/go.mod": "module example.com/a/b\n",
      "third_party/ab/c/c.go": "package c\n",
      "third_party/a/b/c/c.go": "package c\n",
      "tools/go.mod": "module example.com/devtools\n",
      "tools/lint/lint.go": "package lint\n",
      "bom/bom.go": `\uFEFFpackage bom\n\nimport "example.com/shop/pkg"\n`,
    });
    const graph = await graphOf(go);
    assert.deepEqual(deps(graph, go, "cmd/main.go"), ["pkg/pkg.go", "third_party/ab/c/c.go"]);
    assert.deepEqual(graph.externals(join(go, "cmd/main.go")), ["example.com/shop/tools/lint"]);
    assert.deepEqual(deps(graph, go, "bom/bom.go"), ["pkg/pkg.go"]);
  });
});

describe("dependency graph: confinement and updates", () => {
  it("does not follow imports out of the roots, by path or by symlink", async () => {
    const outside = fixture({ "secret.ts": `import "./deeper";`, "deeper.ts": "" });
    const root = fixture({
      "main.ts": `import "../${relative(dirname(outside), outside)}/secret";\nimport "./linked/secret";`,
    });
    symlinkSync(outside, join(root, "linked"));
    const graph = await DependencyGraph.build(new WorkspaceRoots([root]), [
      join(root, "main.ts"),
      join(outside, "secret.ts"),
    ]);
    assert.deepEqual(graph.files(), [join(root, "main.ts")]);
    assert.deepEqual(graph.dependencies(join(root, "main.ts")).files, []);
    assert.equal(graph.externals(join(root, "main.ts")).length, 2);
  });

  it("re-reads only changed files, and re-resolves all when files appear or vanish", async () => {
    const root = fixture({
      "a.ts": `import "./b";`,
      "b.ts": `import "./c";`,
      "c.ts": "",
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "b.ts"), ["c.ts"]);

    writeFileSync(join(root, "b.ts"), `import "./d";`);
    writeFileSync(join(root, "d.ts"), `import "./a";`);
    const added = await graph.update([join(root, "b.ts"), join(root, "d.ts")]);
    assert.equal(added.scanned, 2);
    assert.deepEqual(deps(graph, root, "b.ts"), ["d.ts"]);
    assert.deepEqual(
      graph.cycles().cycles.map((c) => c.files.map((f) => relative(root, f))),
      [["a.ts", "b.ts", "d.ts"]],
    );
    assert.deepEqual(
      graph.dependents(join(root, "c.ts")).files,
      [],
      "the edge b → c is gone from the reverse index",
    );

    const edited = await graph.update([join(root, "a.ts")]);
    assert.deepEqual(edited, { scanned: 1, removed: 0, reresolved: 0 });

    rmSync(join(root, "d.ts"));
    const removed = await graph.update([join(root, "d.ts")]);
    assert.equal(removed.removed, 1);
    assert.equal(graph.has(join(root, "d.ts")), false);
    assert.deepEqual(graph.unresolved(join(root, "b.ts")), ["./d"]);
    assert.deepEqual(graph.cycles().cycles, []);
  });

  it("keeps a folder's files when the folder is only touched, and reads the files of one moved in", async () => {
    const root = fixture({
      "src/a.ts": `import "./b"; import "../moved/lib";`,
      "src/b.ts": `import "./a";`,
    });
    const graph = await DependencyGraph.build(new WorkspaceRoots([root]), listFiles(root), {
      listFolder: (folder: string) => listFiles(folder),
    });
    // A folder's times or mode changing is reported as a change to the folder.
    const touched = await graph.update([join(root, "src")]);
    assert.equal(touched.removed, 0);
    assert.deepEqual(deps(graph, root, "src/a.ts"), ["src/b.ts"]);
    assert.equal(graph.cycles().cycles.length, 1);

    // A folder moved in arrives as one event naming the folder, none of its files.
    fixture({ "moved/lib.ts": `import "../src/a";`, "moved/deeper/more.ts": `import "../lib";` }, root);
    const moved = await graph.update([join(root, "moved")]);
    assert.equal(moved.scanned, 2);
    assert.deepEqual(deps(graph, root, "src/a.ts"), ["moved/lib.ts", "src/b.ts"]);
    assert.deepEqual(deps(graph, root, "moved/deeper/more.ts"), ["moved/lib.ts"]);

    rmSync(join(root, "moved"), { recursive: true });
    const gone = await graph.update([join(root, "moved")]);
    assert.equal(gone.removed, 2);
    assert.deepEqual(graph.unresolved(join(root, "src/a.ts")), ["../moved/lib"]);
  });

  it("drops files gone from a folder the update names, and leaves out a moved-in folder the walk ignores", async () => {
    const root = fixture({
      ".gitignore": "build/\n",
      "a.ts": `import "./dir/b";`,
      "dir/b.ts": `import "./c";`,
      "dir/c.ts": "",
    });
    const engine = new Engine({ roots: [root], allowWrites: false });
    try {
      const graph = await engine.dependencyGraph();
      rmSync(join(root, "dir/c.ts"));
      await graph.update([join(root, "dir")]);
      assert.equal(graph.has(join(root, "dir/c.ts")), false);
      assert.deepEqual(graph.unresolved(join(root, "dir/b.ts")), ["./c"]);
      // An ignored folder arriving whole (one event) stays out, as a fresh build leaves it out.
      fixture({ "build/out.ts": `import "../a";`, "build/deep/more.ts": "" }, root);
      await graph.update([join(root, "build")]);
      assert.deepEqual(
        graph
          .files()
          .map((f) => relative(root, f))
          .sort(),
        ["a.ts", "dir/b.ts"],
      );
    } finally {
      await engine.dispose();
    }
  });

  it("takes in only what a build would list: not an ignored, hidden or linked file named alone, and applies a changed .gitignore", async () => {
    const root = fixture({
      ".gitignore": "dist/\n",
      "src/a.ts": `import "./b"; import "../dist/out"; import "../.cache/h";`,
      "src/b.ts": "",
      "dist/keep.ts": "",
    });
    const outside = fixture({ "secret.ts": `import "./other";` });
    const engine = new Engine({ roots: [root], allowWrites: false });
    try {
      const graph = await engine.dependencyGraph();
      assert.deepEqual(graphFiles(graph, root), ["src/a.ts", "src/b.ts"]);
      fixture({ "dist/out.ts": `import "../src/b";`, ".cache/h.ts": "" }, root);
      symlinkSync(join(outside, "secret.ts"), join(root, "src", "linked.ts"));
      await graph.update(["dist/out.ts", ".cache/h.ts", "src/linked.ts"].map((p) => join(root, p)));
      assert.deepEqual(graphFiles(graph, root), ["src/a.ts", "src/b.ts"]);
      // A link to a file of the graph is not that file: the file stays.
      symlinkSync(join(root, "src", "b.ts"), join(root, "src", "alias.ts"));
      await graph.update([join(root, "src", "alias.ts")]);
      assert.deepEqual(graphFiles(graph, root), ["src/a.ts", "src/b.ts"]);
      // dist/ is no longer ignored, and src/ is: the graph follows.
      writeFileSync(join(root, ".gitignore"), "src/\n");
      await graph.update([join(root, ".gitignore")]);
      assert.deepEqual(graphFiles(graph, root), ["dist/keep.ts", "dist/out.ts"]);
    } finally {
      await engine.dispose();
    }
  });

  it("follows a file and a folder of one name swapping places", async () => {
    const root = fixture({ "main.ts": `import "./util"; import "./util/inner";`, "util.ts": "" });
    const engine = new Engine({ roots: [root], allowWrites: false });
    try {
      const graph = await engine.dependencyGraph();
      rmSync(join(root, "util.ts"));
      fixture({ "util.ts/inner.ts": "" }, root);
      await graph.update([join(root, "util.ts")]);
      assert.deepEqual(graphFiles(graph, root), ["main.ts", "util.ts/inner.ts"]);
      rmSync(join(root, "util.ts"), { recursive: true });
      writeFileSync(join(root, "util.ts"), "");
      await graph.update([join(root, "util.ts")]);
      assert.deepEqual(graphFiles(graph, root), ["main.ts", "util.ts"]);
    } finally {
      await engine.dispose();
    }
  });

  it("resolves a folder import to a file named alone in a folder that is new", async () => {
    const root = fixture({ "main.ts": `import "./feature";` });
    const graph = await graphOf(root);
    assert.deepEqual(graph.unresolved(join(root, "main.ts")), ["./feature"]);
    // Only the file is named (as Rune's own writes are announced), not its new folder.
    fixture({ "feature/index.ts": "" }, root);
    await graph.update([join(root, "feature/index.ts")]);
    assert.deepEqual(deps(graph, root, "main.ts"), ["feature/index.ts"]);
  });

  it("re-resolves imports when a tsconfig changes", async () => {
    const root = fixture({
      "tsconfig.json": `{ "compilerOptions": { "paths": { "@/*": ["./one/*"] } } }`,
      "main.ts": `import "@/x";`,
      "one/x.ts": "",
      "two/x.ts": "",
    });
    const graph = await graphOf(root);
    assert.deepEqual(deps(graph, root, "main.ts"), ["one/x.ts"]);
    writeFileSync(join(root, "tsconfig.json"), `{ "compilerOptions": { "paths": { "@/*": ["./two/*"] } } }`);
    const summary = await graph.update([join(root, "tsconfig.json")]);
    assert.deepEqual(summary, { scanned: 0, removed: 0, reresolved: 3 });
    assert.deepEqual(deps(graph, root, "main.ts"), ["two/x.ts"]);
  });
});

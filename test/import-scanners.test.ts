// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are JavaScript source under test, not templates
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import fc from "fast-check";
import { scanImports } from "../src/engine/index.js";

const js = (text: string) =>
  scanImports("javascript", text).map((r) => [r.specifier, r.kind, r.typeOnly, r.line]);

describe("JavaScript/TypeScript import scanner", () => {
  const table: [string, string, unknown[][]][] = [
    ["default and named", `import a, { b } from "./a.js";`, [["./a.js", "static", false, 1]]],
    ["side effect, single quotes", `import './side';`, [["./side", "static", false, 1]]],
    ["namespace", `import * as ns from "ns";`, [["ns", "static", false, 1]]],
    ["import type", `import type { T } from "./t";`, [["./t", "static", true, 1]]],
    ["all names typed", `import { type A, type B } from "./ab";`, [["./ab", "static", true, 1]]],
    ["some names typed", `import { type A, b } from "./ab";`, [["./ab", "static", false, 1]]],
    ["a value named type", `import { type } from "./v";`, [["./v", "static", false, 1]]],
    ["a default named type", `import type from "./v";`, [["./v", "static", false, 1]]],
    ["import = require", `import fs = require("fs");`, [["fs", "require", false, 1]]],
    [
      "re-exports",
      `export * from "./x";\nexport * as y from "./y";\nexport { z } from "./z";`,
      [
        ["./x", "reexport", false, 1],
        ["./y", "reexport", false, 2],
        ["./z", "reexport", false, 3],
      ],
    ],
    ["export type from", `export type { T } from "./t";`, [["./t", "reexport", true, 1]]],
    [
      "local export, then an import",
      `export { a };\nexport { b }\nimport "./c";`,
      [["./c", "static", false, 3]],
    ],
    [
      "dynamic import with options",
      `await import("./d", { with: { type: "json" } });`,
      [["./d", "dynamic", false, 1]],
    ],
    ["dynamic import of a plain template", "import(`./t`);", [["./t", "dynamic", false, 1]]],
    ["computed specifiers are skipped", "import(`./${x}`); require('./a' + b); import(name);", []],
    ["require", `const a = require("./a");`, [["./a", "require", false, 1]]],
    ["a method named require", `module.require("./a"); obj.import("./b");`, []],
    ["import.meta", "const u = import.meta.url;", []],
    ["an import inside a string", `const s = "import a from './a'";`, []],
    [
      "an import inside comments",
      `// import "./a"\n/* require("./b") */\nimport "./c";`,
      [["./c", "static", false, 3]],
    ],
    [
      "a template substitution holding a require",
      'const t = `x ${require("./a")} y`;',
      [["./a", "require", false, 1]],
    ],
    [
      "nested templates",
      'const t = `a ${`b ${c} import "x"`} d`; import "./e";',
      [["./e", "static", false, 1]],
    ],
    ["a regex holding quotes", `const r = /"|'/g; require("./a");`, [["./a", "require", false, 1]]],
    [
      "division is not a regex",
      `const q = a / b; require("./a"); const w = c / d;`,
      [["./a", "require", false, 1]],
    ],
    [
      "division after a postfix increment",
      `i++ / 2; require("./a"); const w = c / d;`,
      [["./a", "require", false, 1]],
    ],
    [
      "JSX text with an apostrophe",
      `const x = <p>Don't import "./no"</p>;\nimport "./yes";`,
      [["./yes", "static", false, 2]],
    ],
    ["a hashbang", `#!/usr/bin/env node\nrequire("./a");`, [["./a", "require", false, 2]]],
    ["a property named import", `const o = { import: 1, require: 2 };`, []],
    ["a multi-line named list", `import {\n  a,\n  b,\n} from "./ab";`, [["./ab", "static", false, 4]]],
  ];
  for (const [name, text, expected] of table) {
    it(`reads ${name}`, () => assert.deepEqual(js(text), expected));
  }

  /** Text that mentions imports without being one: each scanner must see through it. */
  const decoys = [
    `// import "DECOY"`,
    `/* require("DECOY") */`,
    `const s = "import x from 'DECOY'";`,
    `const s2 = 'export * from "DECOY"';`,
    "const t = `import(\"DECOY\") ${1 + 2} require('DECOY')`;",
    `const r = /import "DECOY"/g;`,
    `obj.require("DECOY");`,
    `const q = a / b; // import "DECOY"`,
    `/** @example import x from "DECOY" */`,
  ];
  const forms: ((s: string) => [string, string])[] = [
    (s) => [`import x from "${s}";`, "static"],
    (s) => [`import "${s}";`, "static"],
    (s) => [`export * from "${s}";`, "reexport"],
    (s) => [`export { a } from '${s}';`, "reexport"],
    (s) => [`const v = require("${s}");`, "require"],
    (s) => [`await import("${s}");`, "dynamic"],
  ];

  it("finds exactly the real imports among decoys, in order, on their lines", () => {
    const specifier = fc.stringMatching(/^\.\/[a-z0-9_-]{1,12}$/);
    const piece = fc.oneof(
      fc.constantFrom(...decoys).map((text) => ({ text, real: null })),
      fc.tuple(fc.constantFrom(...forms), specifier).map(([form, s]) => {
        const [text, kind] = form(s);
        return { text, real: [s, kind] as const };
      }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.map((p) => p.text).join("\n");
        const expected = pieces.flatMap((p, line) =>
          p.real ? [[p.real[0], p.real[1], false, line + 1]] : [],
        );
        assert.deepEqual(js(text), expected);
      }),
    );
  });

  it("ends a line comment at any line terminator, and a string after a backslash and CRLF", () => {
    // CR, U+2028 and U+2029 end a line as \n does: the import after them is code, not comment.
    for (const eol of ["\r", "\u2028", "\u2029", "\r\n"]) {
      assert.deepEqual(
        js(`// note${eol}import a from "./after";\n`).map((r) => r[0]),
        ["./after"],
        JSON.stringify(eol),
      );
    }
    // A backslash before CRLF continues the string over the line break; it does not end at "\n".
    const text = 'const s = "a\\\r\nimport b from \'./inside\'";\r\nimport c from "./real";\r\n';
    assert.deepEqual(
      js(text).map((r) => r[0]),
      ["./real"],
    );
  });

  it("reads JSX closing tags as tags, not regular expressions, in files that may hold JSX", () => {
    const text = `export const App = () => <View><Text>Hi</Text><Image source={require("./logo.png")} /></View>;\n`;
    for (const path of ["App.jsx", "App.tsx", "App.js"])
      assert.deepEqual(
        scanImports("javascript", text, path).map((r) => r.specifier),
        ["./logo.png"],
        path,
      );
  });

  it("reads JSX text and attribute strings as text: a backtick, `/*` or quote there hides no import", () => {
    const text = [
      `import React from "react";`,
      "export const Key = () => <kbd>`</kbd>;",
      `export const Code = () => <code title="it's" data-x='/*'>lib/*</code>;`,
      `export const lazy = () => import("./Page");`,
      `export const Inner = () => <Suspense fallback={<Spin />}>{load(() => import("./Inner"))}</Suspense>;`,
      `export const Fake = () => <p>import x from "./fake"</p>;`,
      "export const Help = () => <p>(matches src/*.ts)</p>;",
      'const msg = `import("./in-template")`;',
      // TSX generic arrow functions are no elements.
      `const id = <T,>(x: T) => x; const also = <T extends object>(x: T) => require("./generic");`,
    ].join("\n");
    for (const path of ["a.tsx", "a.jsx", "a.js"])
      assert.deepEqual(
        scanImports("javascript", text, path).map((r) => r.specifier),
        ["react", "./Page", "./Inner", "./generic"],
        path,
      );
  });

  it("ends JSX code at its own brace inside a template substitution, and skips comments in tags", () => {
    const text = [
      "function render(req) {",
      "  return `<!doctype html>${renderToString(<App url={req.url} />)}`;",
      "}",
      "const later = require('./later');",
      "const a = <div // it's a comment\n>x</div>;",
      "const b = <div /* > it's */ title='1'>x</div>;",
      "export { x } from './x';",
    ].join("\n");
    assert.deepEqual(
      scanImports("javascript", text, "ssr.jsx").map((r) => r.specifier),
      ["./later", "./x"],
    );
  });

  it("takes no TSX type parameter list for an element: generic function types and const parameters", () => {
    const text = [
      `import React from "react";`,
      "type Loader = <T>(key: string) => Promise<T>;",
      "interface Call { <T>(x: T): T }",
      "type Make = new <T>() => T; type Table = Map<string, <T>() => T>;",
      "const id = <const T,>(x: T) => x; const lit = <const T extends string>(x: T) => x;",
      `const Page = React.lazy(() => import("./Page"));`,
      `export * from "./types";`,
    ].join("\n");
    assert.deepEqual(
      scanImports("javascript", text, "App.tsx").map((r) => r.specifier),
      ["react", "./Page", "./types"],
    );
  });

  it("reads adversarial files in time linear in their size", () => {
    // Each of these took time quadratic in its size (the largest here, from 26 s to minutes):
    // every require token saved a copy of the open elements; every `/` of a long line of `/[`
    // read to the line's end; every failed `import {` re-read 4,096 large tokens; and a Python
    // `from` with a long run of spaces was tried every way of splitting it. The scans are
    // synchronous, so they run in a child the test can stop.
    const script = `
      const { scanImports } = await import(${JSON.stringify(new URL("../src/engine/index.js", import.meta.url).href)});
      const found = (language, text, path) => scanImports(language, text, path).map((r) => r.specifier);
      process.stdout.write(JSON.stringify([
        found("javascript", "x = " + "<a>{".repeat(8000) + "require;".repeat(40000) + "\\nimport b from './b';", "a.jsx"),
        found("javascript", "x = " + "/[".repeat(120000) + "\\nimport b from './b';", "a.js"),
        found("javascript", ("import {\`" + "x".repeat(1000) + "\`").repeat(4000) + "\\nimport b from './b';", "a.js"),
        found("python", "from" + " ".repeat(200000) + "!\\nimport b\\n", "a.py"),
      ]));`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(child.signal, null, "the scans did not finish in 20 s");
    assert.equal(child.stdout, '[["./b"],["./b"],["./b"],["b"]]', child.stderr);
  });

  it("divides after TypeScript's non-null `!`, and starts a regular expression after a prefix `!`", () => {
    const text = [
      `const half = size! / 2; const later = import("./after-bang");`,
      `if (!/x\\//.test(s)) require("./prefix");`,
      `const ok = a != /re/.source; import("./not-equal");`,
    ].join("\n");
    assert.deepEqual(
      scanImports("javascript", text, "a.ts").map((r) => r.specifier),
      ["./after-bang", "./prefix", "./not-equal"],
    );
  });

  it("takes typeof import() and import().Name in TypeScript as types, and import().then as a value", () => {
    const text = [
      `type Mod = typeof import("./a");`,
      `let x: import("./b").Options;`,
      `const lazy = import("./c").then((m) => m.default);`,
      `const plain = import("./d");`,
    ].join("\n");
    const typed = (path: string) =>
      scanImports("javascript", text, path).map((r) => [r.specifier, r.typeOnly]);
    assert.deepEqual(typed("a.ts"), [
      ["./a", true],
      ["./b", true],
      ["./c", false],
      ["./d", false],
    ]);
    // In JavaScript there are no types: `typeof import("./a")` really imports it.
    assert.deepEqual(
      typed("a.js").map(([, typeOnly]) => typeOnly),
      [false, false, false, false],
    );
  });

  it("never throws and reports only specifiers present in the text, whatever it is given", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."import\"'`/*{}()$\\\n =;.requxfrom,") }), (text) => {
        for (const record of scanImports("javascript", text)) assert.ok(text.includes(record.specifier));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("Python import scanner", () => {
  const py = (text: string) => scanImports("python", text).map((r) => [r.specifier, r.names ?? null, r.line]);

  it("reads plain, aliased, relative, parenthesised and continued imports", () => {
    const text = [
      "import os, sys as system",
      "from . import a, b",
      "from ..pkg.mod import (x,",
      "    y as z)  # trailing comment",
      "from pkg import \\",
      "    w",
      "import json; import re",
      "def f():",
      "    import lazy.mod",
    ].join("\n");
    assert.deepEqual(py(text), [
      ["os", null, 1],
      ["sys", null, 1],
      [".", ["a", "b"], 2],
      ["..pkg.mod", ["x", "y"], 3],
      ["pkg", ["w"], 5],
      ["json", null, 7],
      ["re", null, 7],
      ["lazy.mod", null, 9],
    ]);
  });

  it("continues a line over a CRLF break, and reads `from.pkg` and `from . pkg` as Python tokenizes them", () => {
    const text = [
      "import pkg.a, \\",
      "    pkg.b",
      "from pkg.sub import c, \\",
      "    d",
      "from.rel import e",
      "from . pkg import f",
      "from a . b import g",
      "",
    ].join("\r\n");
    assert.deepEqual(py(text), [
      ["pkg.a", null, 1],
      ["pkg.b", null, 1],
      ["pkg.sub", ["c", "d"], 3],
      [".rel", ["e"], 5],
      [".pkg", ["f"], 6],
      ["a.b", ["g"], 7],
    ]);
  });

  it("skips imports in strings, docstrings and comments", () => {
    const text = [
      `"""`,
      "import not_this",
      `"""`,
      "s = 'import nor_this'",
      't = f"from x import {y}"',
      "# import comment",
      "x = (1,",
      "import_like)",
      "import real",
    ].join("\n");
    assert.deepEqual(py(text), [["real", null, 9]]);
  });
});

describe("Go import scanner", () => {
  const go = (text: string) => scanImports("go", text).map((r) => [r.specifier, r.line]);

  it("reads single imports and blocks with named, dot and blank imports, then stops", () => {
    const text = [
      '// Package main imports "nothing"',
      "package main",
      "",
      `import "fmt"`,
      "import (",
      `\t"os" // comment "x"`,
      `\tstr "strings"`,
      `\t. "math"`,
      `\t_ "example.com/m/db"`,
      '\t/* "skipped" */',
      ")",
      "",
      `var s = "import \\"late\\""`,
      `import "not/at/top"`,
    ].join("\n");
    assert.deepEqual(go(text), [
      ["fmt", 4],
      ["os", 6],
      ["strings", 7],
      ["math", 8],
      ["example.com/m/db", 9],
    ]);
  });
});

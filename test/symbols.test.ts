import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type DocumentSymbol, Engine, type SymbolCacheOptions, SymbolIndex } from "../src/engine/index.js";
import { WorkerPool } from "../src/engine/workers/worker-pool.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { connectSdkClient, tempDir } from "./helpers/sdk-client.js";

// The fixtures are sources, not compiled: read them from the repository's test folder.
const FIXTURES = fileURLToPath(new URL("../../test/fixtures/symbols/", import.meta.url));

const pools: WorkerPool[] = [];
const engines: Engine[] = [];
after(async () => {
  await Promise.all([...pools.map((p) => p.close()), ...engines.map((e) => e.dispose())]);
});

function pool(threads = 2): WorkerPool {
  const created = new WorkerPool({ threads });
  pools.push(created);
  return created;
}

function tree(files: Record<string, string>): string {
  const root = tempDir("rune-symbols-");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** "kind container/name" per symbol, the way a reader checks an outline. */
function outline(symbols: readonly DocumentSymbol[]): string[] {
  return symbols.map((s) => `${s.kind} ${s.container ? `${s.container}/` : ""}${s.name}`);
}

async function fixtureSymbols(name: string): Promise<DocumentSymbol[]> {
  const root = tempDir("rune-fixture-");
  copyFileSync(join(FIXTURES, name), join(root, name));
  const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
  engines.push(engine);
  return (await engine.scope.symbols.documentSymbols(name)).symbols;
}

describe("document symbols, one fixture per language", () => {
  it("finds TypeScript's interfaces, types, enums, classes, functions and top-level constants", async () => {
    const symbols = await fixtureSymbols("sample.ts");
    assert.deepEqual(outline(symbols), [
      "interface Shape",
      "method Shape/area",
      "property Shape/name",
      "typeAlias Point",
      "property Point/x",
      "property Point/y",
      "enum Color",
      "enumMember Color/Red",
      "enumMember Color/Green",
      "constant ORIGIN",
      "variable counter",
      "class Circle",
      "property Circle/name",
      "constructor Circle/constructor",
      "method Circle/area",
      "function makeCircle",
      "function double",
      "namespace Geometry",
      "constant Geometry/unit",
    ]);
    const circle = symbols.find((s) => s.name === "Circle") as DocumentSymbol;
    assert.deepEqual(circle.range, { start: { line: 16, column: 8 }, end: { line: 23, column: 2 } });
    assert.deepEqual(circle.selectionRange, {
      start: { line: 16, column: 14 },
      end: { line: 16, column: 20 },
    });
  });

  it("parses TSX with its own grammar", async () => {
    assert.deepEqual(outline(await fixtureSymbols("sample.tsx")), [
      "function Button",
      "class Panel",
      "method Panel/render",
    ]);
  });

  it("finds JavaScript's classes, fields, functions and CommonJS exports, with UTF-16 columns", async () => {
    const symbols = await fixtureSymbols("sample.js");
    assert.deepEqual(outline(symbols), [
      "class Animal",
      "property Animal/legs",
      "method Animal/speak",
      "constant smile",
      "function after",
      "function greet",
      "constant VERSION",
      "variable count",
      "function helper",
    ]);
    // `const smile = "😀"; function after() {}`: the emoji is two UTF-16 code units.
    const afterEmoji = symbols.find((s) => s.name === "after") as DocumentSymbol;
    assert.deepEqual(afterEmoji.selectionRange.start, { line: 9, column: 30 });
  });

  it("finds Python's classes, methods, nested functions and module variables", async () => {
    assert.deepEqual(outline(await fixtureSymbols("sample.py")), [
      "variable LIMIT",
      "class Repository",
      "field Repository/default_branch",
      "method Repository/__init__",
      "method Repository/commits",
      "function Repository/commits/inner",
      "function open_repo",
    ]);
  });

  it("puts Go methods under their receiver type", async () => {
    assert.deepEqual(outline(await fixtureSymbols("sample.go")), [
      "package store",
      "constant MaxItems",
      "variable cache",
      "struct Item",
      "field Item/Name",
      "field Item/Price",
      "interface Store",
      "method Store/Get",
      "typeAlias ID",
      "method Item/Total",
      "function NewItem",
    ]);
  });

  it("puts Rust functions in an impl under the implemented type", async () => {
    assert.deepEqual(outline(await fixtureSymbols("sample.rs")), [
      "module shapes",
      "struct shapes/Square",
      "field shapes/Square/side",
      "method shapes/Square/new",
      "method shapes/Square/area",
      "trait Named",
      "method Named/name",
      "enum Direction",
      "enumMember Direction/North",
      "enumMember Direction/South",
      "constant MAX",
      "typeAlias Meters",
      "function main",
    ]);
  });

  it("finds Java's package, nested types, constructors, fields and enum constants", async () => {
    assert.deepEqual(outline(await fixtureSymbols("Sample.java")), [
      "package com.example.app",
      "class Sample",
      "field Sample/count",
      "field Sample/NAME",
      "constructor Sample/Sample",
      "method Sample/getCount",
      "interface Sample/Listener",
      "method Sample/Listener/onEvent",
      "enum Sample/Mode",
      "enumMember Sample/Mode/FAST",
      "enumMember Sample/Mode/SLOW",
    ]);
  });

  it("parses C: macros, structs, typedefs, enums, globals, prototypes and definitions", async () => {
    assert.deepEqual(outline(await fixtureSymbols("sample.c")), [
      "constant BUFFER_SIZE",
      "struct point",
      "field point/x",
      "field point/y",
      "typeAlias point_t",
      "enum color",
      "enumMember color/RED",
      "enumMember color/GREEN",
      "variable counter",
      "function add",
      "function add",
      "function name_of",
    ]);
  });

  it("parses C++: namespaces, classes, members and out-of-line definitions under their scope", async () => {
    assert.deepEqual(outline(await fixtureSymbols("sample.cpp")), [
      "namespace geo",
      "class geo/Shape",
      "method geo/Shape/area",
      "field geo/Shape/id",
      "class geo/Rect",
      "method geo/Rect/area",
      "field geo/Rect/w",
      "field geo/Rect/h",
      "function geo/perimeter",
      "function geo/perimeter",
      "struct Node",
      "field Node/next",
    ]);
  });

  it("refuses a file of no indexed language, saying which are", async () => {
    const root = tree({ "notes.txt": "hello\n" });
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    await assert.rejects(engine.scope.symbols.documentSymbols("notes.txt"), {
      code: "INVALID_ARGUMENT",
      message: /no symbol grammar.*\*\.ts/,
    });
  });

  it("reports a file that is not there, or not a regular file, as not found", async () => {
    const root = tree({ "here.ts": "export const here = 1;\n" });
    execFileSync("mkfifo", [join(root, "pipe.ts")]);
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    await assert.rejects(engine.scope.symbols.documentSymbols("gone.ts"), { code: "NOT_FOUND" });
    // A FIFO passes the sandbox but is never read (it could block the worker).
    await assert.rejects(engine.scope.symbols.documentSymbols("pipe.ts"), {
      code: "NOT_FOUND",
      message: /pipe\.ts: no such file, or not a regular file/,
    });
  });
});

const PROJECT = {
  "src/shapes.ts": "export class Circle {\n  area() { return 1; }\n}\nexport function makeCircle() {}\n",
  "src/store.py": "class Store:\n    def area(self):\n        return 0\n",
  "lib/util.go": "package lib\n\nfunc MakeCache() {}\n",
  "ignored/skip.ts": "export function hidden() {}\n",
  ".gitignore": "ignored/\n",
  "README.md": "# not code\n",
};

function indexFor(root: string, cacheFolder: string | false, threads = 2): SymbolIndex {
  return new SymbolIndex({
    roots: [root],
    pool: pool(threads),
    cache: cacheFolder === false ? false : { folder: cacheFolder },
    saveDelayMs: 10,
  });
}

describe("document symbols: what editors' outlines show, found by review against ctags", () => {
  /** The outline of one file written under a fresh root. */
  async function outlineOf(name: string, text: string): Promise<string[]> {
    const root = tree({ [name]: text });
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    return outline((await engine.scope.symbols.documentSymbols(name)).symbols);
  }

  it("counts columns after a byte-order mark, and lines at a lone CR, as the rest of Rune does", async () => {
    const root = tree({
      "bom.py": "\uFEFFdef caf\u00e9():\n    pass\n",
      "cr.py": "def a():\r    pass\r\rdef b():\r    pass\r",
    });
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    const [bom] = (await engine.scope.symbols.documentSymbols("bom.py")).symbols;
    assert.deepEqual(
      [bom?.range.start, bom?.selectionRange],
      [
        { line: 1, column: 1 },
        { start: { line: 1, column: 5 }, end: { line: 1, column: 9 } },
      ],
    );
    const cr = (await engine.scope.symbols.documentSymbols("cr.py")).symbols;
    assert.deepEqual(
      cr.map((s) => [s.name, s.range.start.line, s.range.end.line]),
      [
        ["a", 1, 2],
        ["b", 4, 5],
      ],
    );
    const [body] = (await engine.scope.symbols.find({ namePath: "b", includeBody: true })).symbols;
    assert.equal(body?.body, "def b():\n    pass");
  });

  it("TypeScript: a class's methods without a body (declared classes, overloads, abstract classes)", async () => {
    const text = [
      "export declare class Box<T> {",
      "  private x;",
      "  constructor(a: T);",
      "  method(): void;",
      "  static create<T>(): Box<T>;",
      "  get value(): T;",
      "}",
      "declare namespace NS { class Inner { run(): void; } }",
      "export abstract class Shape { concrete(): void; abstract area(): number; }",
      "class Impl { over(a: string): void; over(a: number): void; over(a: unknown): void {} }",
    ].join("\n");
    assert.deepEqual(await outlineOf("types.d.ts", text), [
      "class Box",
      "property Box/x",
      "constructor Box/constructor",
      "method Box/method",
      "method Box/create",
      "method Box/value",
      "namespace NS",
      "class NS/Inner",
      "method NS/Inner/run",
      "class Shape",
      "method Shape/concrete",
      "method Shape/area",
      "class Impl",
      "method Impl/over",
      "method Impl/over",
      "method Impl/over",
    ]);
  });

  it("JavaScript: anonymous classes named by what they are assigned to, and prototype methods", async () => {
    const text = [
      "export default class { dm() {} }",
      "function f() { var WorkerManager = class { constructor(d) {} m() {} }; }",
      "exports.Helper = class { h() {} };",
      "var Named = class Inner { n() {} };",
      "Foo.prototype.bar = function () {};",
      "Foo.prototype.baz = () => 1;",
      "obj.handler = function () {};",
    ].join("\n");
    assert.deepEqual(await outlineOf("a.js", text), [
      "class default",
      "method default/dm",
      "function f",
      "class f/WorkerManager",
      "constructor f/WorkerManager/constructor",
      "method f/WorkerManager/m",
      "class Helper",
      "method Helper/h",
      "variable Named",
      "class Named/Inner",
      "method Named/Inner/n",
      "method Foo/bar",
      "method Foo/baz",
      "function handler",
    ]);
    assert.deepEqual(await outlineOf("b.ts", "export default function () { return 1; }\n"), [
      "function default",
    ]);
  });

  it("C and C++: declarations behind export macros, which a parser without a preprocessor misreads", async () => {
    const text = [
      "UV_EXTERN uv_loop_t* uv_default_loop(void);",
      "extern FORM_EXPORT(int) set_field_back (FIELD *,chtype);",
      "extern NCURSES_EXPORT(void) bkgdset (chtype);",
      "class V8_EXPORT JSON { public: static int Parse(int a); int x; };",
      "__BEGIN_DECLS",
      "struct sgrp { char *a; };",
      "namespace node { NODE_EXTERN v8::Isolate* NewIsolate(int a); }",
      "struct P { int q; void m(); };",
      // C++'s keywords are names in C, whose headers are read as C++.
      "struct pci_dev { unsigned int class; void *private; struct list_head *new; int this; };",
      "EXPORT void ns::Cls::stop() {}",
      "EXPORT_API bool f5;",
      "struct { int a; } anon_var;",
    ].join("\n");
    assert.deepEqual(await outlineOf("api.h", text), [
      "function uv_default_loop",
      "function set_field_back",
      "class JSON",
      "method JSON/Parse",
      "field JSON/x",
      "namespace node",
      "function node/NewIsolate",
      "struct P",
      "field P/q",
      "method P/m",
      "struct pci_dev",
      "field pci_dev/class",
      "field pci_dev/private",
      "field pci_dev/new",
      "field pci_dev/this",
      "function Cls/stop",
      // An anonymous struct's member is a field still, though no type holds it in the outline.
      "field a",
      "variable anon_var",
    ]);
  });

  it("C: declarations inside include guards, extern C and namespaces, under any declarator, each name of one", async () => {
    const text = [
      "#ifndef G_H",
      "#define G_H",
      "int guarded(int x);",
      "extern const char *names[];",
      "int (*handler)(int);",
      "char *copy(const char *s);",
      "int a, b = 2;",
      "extern int tail(void) __THROW __nonnull ((1));",
      'extern "C" { int in_c(void); }',
      "typedef struct { int w, h; } size2;",
      "typedef int (*cmp_fn)(const void *, const void *);",
      "struct node { struct node *next; void (*cb)(int); };",
      "static int count(void) { int local = 0; return local; }",
      "#endif",
    ].join("\n");
    assert.deepEqual(await outlineOf("g.h", text), [
      "constant G_H",
      "function guarded",
      "variable names",
      "variable handler",
      "function copy",
      "variable a",
      "variable b",
      "function tail",
      "function in_c",
      "struct size2",
      "field size2/w",
      "field size2/h",
      "typeAlias cmp_fn",
      "struct node",
      "field node/next",
      "field node/cb",
      "function count",
    ]);
  });

  it("C: keeps real declarations of reserved types and names, and no local of a lambda or a statement expression", async () => {
    const text = [
      "__u32 crc32(const void *p, unsigned len);",
      "__be16 port;",
      "void __Bar(void) { int leak1; }",
      "auto cmp = [](int a) { int tmp = a; return tmp; };",
      "int g = ({ int t = 1; t; });",
      "POINT origin(0, 0);",
      "extern int tail(void) __THROW __wur;",
    ].join("\n");
    assert.deepEqual(await outlineOf("r.cpp", text), [
      "function crc32",
      "variable port",
      "function __Bar",
      "variable cmp",
      "variable g",
      "variable origin",
      "function tail",
    ]);
  });

  it("C: a macro's range ends on its own line, and a typedef's covers the whole typedef", async () => {
    const root = tree({
      "m.h":
        "#define ONE 1\n#define TWO 2\ntypedef struct {\n  int w;\n} box;\ntypedef unsigned long ulong;\n",
    });
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    const ranges = (await engine.scope.symbols.documentSymbols("m.h")).symbols.map((s) => [
      s.name,
      s.range.start.line,
      s.range.end.line,
      s.range.end.column,
    ]);
    assert.deepEqual(ranges, [
      ["ONE", 1, 1, 14],
      ["TWO", 2, 2, 14],
      ["box", 3, 5, 7],
      ["w", 4, 4, 9],
      ["ulong", 6, 6, 29],
    ]);
  });

  it("ranges hold a Python definition's decorators and a C++ template's header, so an edit by range takes them", async () => {
    const root = tree({
      "d.py": "@functools.cache\ndef cached(x):\n    return x\n\n@dataclass\nclass D:\n    a: int\n",
      "t.cpp":
        "template <typename T>\nT max_of(T a, T b) { return a; }\ntemplate <class T>\nclass Stack {};\n",
    });
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    const lines = async (file: string) =>
      (await engine.scope.symbols.documentSymbols(file)).symbols.map((s) => [
        s.name,
        s.range.start.line,
        s.range.end.line,
      ]);
    assert.deepEqual(await lines("d.py"), [
      ["cached", 1, 3],
      ["D", 5, 7],
      ["a", 7, 7],
    ]);
    assert.deepEqual(await lines("t.cpp"), [
      ["max_of", 1, 2],
      ["Stack", 3, 4],
    ]);
  });

  it("C++: constructors, destructors, operators, and definitions out of line under every scope", async () => {
    const text = [
      "namespace n1::n2 { struct Outer { struct Inner { void f(); }; }; }",
      "void n1::n2::Outer::Inner::f() {}",
      "class W {",
      "public:",
      "  W();",
      "  ~W();",
      "  operator bool() const;",
      "  int *raw_, &ref_;",
      "};",
      "W::W() {}",
      "template <class T> struct Stack { void push(const T &); };",
      "template <class T> void Stack<T>::push(const T &) {}",
      "W::~W() {}",
      "W::operator bool() const { return true; }",
    ].join("\n");
    assert.deepEqual(await outlineOf("w.cpp", text), [
      // One container path for what sits in `namespace n1::n2` and for `n1::n2::…::f` written out of line.
      "namespace n1::n2",
      "struct n1/n2/Outer",
      "struct n1/n2/Outer/Inner",
      "method n1/n2/Outer/Inner/f",
      "function n1/n2/Outer/Inner/f",
      "class W",
      "constructor W/W",
      "method W/~W",
      "method W/operator bool",
      "field W/raw_",
      "field W/ref_",
      "constructor W/W",
      "struct Stack",
      "method Stack/push",
      // Out of line, a template's scope, a destructor or a conversion operator says it is a method;
      // a plain `A::f` may be a namespace's function, so it stays one.
      "method Stack/push",
      "method W/~W",
      "method W/operator bool",
    ]);
  });

  it("Python: names assigned in module and class blocks, each name of a tuple or chain, and type aliases", async () => {
    const text = [
      "A, B = 1, 2",
      "C = D = 3",
      "if TYPE_CHECKING:",
      "    Alias = int",
      "try:",
      "    HAVE = True",
      "except ImportError:",
      "    HAVE = False",
      "type Point = tuple[float, float]",
      "class K:",
      "    if True:",
      "        flag = 1",
      "    x, y = 0, 0",
      "def f():",
      "    local = 1",
      "    if local:",
      "        other = 2",
    ].join("\n");
    assert.deepEqual(await outlineOf("m.py", text), [
      "variable A",
      "variable B",
      "variable C",
      "variable D",
      "variable Alias",
      "variable HAVE",
      "variable HAVE",
      "typeAlias Point",
      "class K",
      "field K/flag",
      "field K/x",
      "field K/y",
      "function f",
    ]);
  });

  it("Go: every name of a spec, parenthesised var blocks, and embedded fields", async () => {
    const text = [
      "package p",
      "var (",
      "\tx int",
      "\ty, z = 1, 2",
      ")",
      "type S struct {",
      "\tX, Y int",
      "\tfmt.Stringer",
      "\t*Embedded",
      "}",
      "func f() { x := struct{ a int }{1}; _ = x }",
    ].join("\n");
    assert.deepEqual(await outlineOf("p.go", text), [
      "package p",
      "variable x",
      "variable y",
      "variable z",
      "struct S",
      "field S/X",
      "field S/Y",
      "field S/Stringer",
      "field S/Embedded",
      "function f",
    ]);
  });

  it("Java and Rust: whole field declarations, annotation elements, compact constructors, associated types, any impl's type", async () => {
    const java = [
      "class J {",
      "  @Inject private String name, other;",
      '  @interface Anno { String value() default ""; }',
      "  record Pair(int a, int b) { Pair { } }",
      "  void start() { new Thread(new Runnable() { int ticks; public void run() {} }); }",
      "  void sort() { new java.util.Comparator<String>() { public int compare(String a, String b) { return 0; } }; }",
      "}",
    ].join("\n");
    assert.deepEqual(await outlineOf("J.java", java), [
      "class J",
      "field J/name",
      "field J/other",
      "interface J/Anno",
      "method J/Anno/value",
      "class J/Pair",
      "constructor J/Pair/Pair",
      // An anonymous class's members sit under the type it implements.
      "method J/start",
      "field J/start/Runnable/ticks",
      "method J/start/Runnable/run",
      "method J/sort",
      "method J/sort/Comparator/compare",
    ]);
    const rust = [
      "trait Draw { type Output; fn draw(&self); }",
      "impl<T> fmt::Display for io::Wrapper<T> { fn fmt(&self) {} }",
      "impl Draw for &Point { fn draw(&self) {} }",
    ].join("\n");
    assert.deepEqual(await outlineOf("r.rs", rust), [
      "trait Draw",
      "typeAlias Draw/Output",
      "method Draw/draw",
      "method Wrapper/fmt",
      "method &Point/draw",
    ]);
  });
});

describe("workspace symbol index", () => {
  it("indexes the walker's files in parallel, honouring .gitignore", async () => {
    const root = tree(PROJECT);
    const index = indexFor(root, false);
    const stats = await index.ready();
    assert.equal(stats.files, 3);
    assert.equal(stats.parsed, 3);
    assert.equal(index.find("hidden").length, 0);
  });

  it("looks symbols up by name path: suffix, anchored and case-insensitive", async () => {
    const root = tree(PROJECT);
    const index = indexFor(root, false);
    await index.ready();
    const where = (hits: { relative: string; symbol: DocumentSymbol }[]) =>
      hits.map((h) => `${h.relative}:${h.symbol.container}/${h.symbol.name}`);
    assert.deepEqual(where(index.find("Circle/area")), ["src/shapes.ts:Circle/area"]);
    assert.deepEqual(where(index.find("area")), ["src/shapes.ts:Circle/area", "src/store.py:Store/area"]);
    assert.deepEqual(where(index.find("/Circle/area")), ["src/shapes.ts:Circle/area"]);
    assert.deepEqual(where(index.find("/area")), []);
    assert.deepEqual(where(index.find("store/AREA")), ["src/store.py:Store/area"]);
    assert.deepEqual(where(index.find("area", { kinds: ["method"], filter: (p) => p.endsWith(".py") })), [
      "src/store.py:Store/area",
    ]);
  });

  it("finds qualified names by their parts: C++'s a::b and TypeScript's NS.Inner", async () => {
    const root = tree({
      "n.cpp":
        "namespace a::b { class Box {}; }\nstruct Outer { struct Inner; };\nstruct Outer::Inner { int deep; };\n",
      "n.ts": "namespace NS.Inner { export class K {} }\n",
    });
    const index = indexFor(root, false);
    await index.ready();
    const where = (namePath: string) =>
      index.find(namePath).map((h) => `${h.symbol.container}/${h.symbol.name}`);
    assert.deepEqual(where("a::b"), ["/a::b"]);
    assert.deepEqual(where("a/b"), ["/a::b"]);
    assert.deepEqual(where("b"), ["/a::b"]);
    assert.deepEqual(where("a/b/Box"), ["a/b/Box"]);
    assert.deepEqual(where("Outer/Inner/deep"), ["Outer/Inner/deep"]);
    assert.deepEqual(where("Outer::Inner"), ["/Outer::Inner"]);
    assert.deepEqual(where("NS/Inner/K"), ["NS.Inner/K"]);
    assert.deepEqual(where("Inner/K"), ["NS.Inner/K"]);
    assert.deepEqual(where("NS.Inner/K"), ["NS.Inner/K"]);
  });

  it("searches symbol names fuzzily, best first, optionally by kind", async () => {
    const root = tree(PROJECT);
    const index = indexFor(root, false);
    await index.ready();
    const names = (query: string, kinds?: ("function" | "class")[]) =>
      index.search(query, { kinds }).map((h) => h.symbol.name);
    assert.deepEqual(names("mkc"), ["MakeCache", "makeCircle"]);
    assert.deepEqual(names("makeCi"), ["makeCircle"]);
    assert.deepEqual(names("c", ["class"]), ["Circle"]);
    assert.deepEqual(names("circle make"), ["makeCircle"]);
    // With a "/", the query is matched against name paths: the method, not a top-level name.
    const paths = (query: string) => index.search(query).map((h) => `${h.symbol.container}/${h.symbol.name}`);
    assert.deepEqual(paths("circle/area"), ["Circle/area"]);
    assert.deepEqual(paths("Store/ar"), ["Store/area"]);
    // Written as name paths are: anchored with a leading "/", or with C++'s "::".
    assert.deepEqual(paths("/Circle/area"), ["Circle/area"]);
    assert.deepEqual(paths("Circle::area"), ["Circle/area"]);
    assert.deepEqual(index.search("zzz"), []);
  });

  it("re-parses only the changed file on update, and follows additions and deletions", async () => {
    const root = tree(PROJECT);
    const index = indexFor(root, false);
    await index.ready();
    writeFileSync(join(root, "src", "shapes.ts"), "export class Square {}\n");
    const changed = await index.update([join(root, "src", "shapes.ts"), join(root, "src", "store.py")]);
    assert.equal(changed.parsed, 1, "the unchanged file is hashed, not parsed");
    assert.deepEqual(
      index.find("Square").map((h) => h.relative),
      ["src/shapes.ts"],
    );
    assert.deepEqual(index.find("Circle"), []);

    writeFileSync(join(root, "src", "extra.rs"), "fn added() {}\n");
    rmSync(join(root, "lib", "util.go"));
    const moved = await index.update([join(root, "src", "extra.rs"), join(root, "lib", "util.go")]);
    assert.equal(moved.parsed, 1);
    assert.deepEqual(
      index.find("added").map((h) => h.relative),
      ["src/extra.rs"],
    );
    assert.deepEqual(index.find("MakeCache"), []);
    assert.equal(moved.files, 3);
  });

  it("follows folders: one moved in is indexed, a new file in a new folder joins, one removed takes its files", async () => {
    const root = tree(PROJECT);
    const index = indexFor(root, false);
    await index.ready();
    // A folder moved in arrives as one event naming the folder.
    mkdirSync(join(root, "feature", "deep"), { recursive: true });
    writeFileSync(join(root, "feature", "deep", "widget.ts"), "export class Widget {}\n");
    await index.update([join(root, "feature")]);
    assert.deepEqual(
      index.find("Widget").map((h) => h.relative),
      ["feature/deep/widget.ts"],
    );
    // A file in a folder the build never saw, named alone.
    mkdirSync(join(root, "other"));
    writeFileSync(join(root, "other", "tool.py"), "def tool():\n    pass\n");
    await index.update([join(root, "other", "tool.py")]);
    assert.deepEqual(
      index.find("tool").map((h) => h.relative),
      ["other/tool.py"],
    );
    // Ignored places stay out, however they arrive.
    writeFileSync(join(root, "ignored", "late.ts"), "export function lateComer() {}\n");
    mkdirSync(join(root, "ignored", "sub"));
    writeFileSync(join(root, "ignored", "sub", "more.ts"), "export function moreHidden() {}\n");
    await index.update([join(root, "ignored", "late.ts"), join(root, "ignored", "sub")]);
    assert.deepEqual([index.find("lateComer"), index.find("moreHidden")], [[], []]);
    // A folder removed, reported as the folder alone.
    rmSync(join(root, "feature"), { recursive: true });
    await index.update([join(root, "feature")]);
    assert.deepEqual(index.find("Widget"), []);
    // What a build leaves out, an update leaves out too: a link (to a folder outside the root
    // here), an ignored or hidden file in a known folder, an upper-case extension.
    const outside = tree({ "evil.ts": "export function fromOutside() {}\n" });
    symlinkSync(outside, join(root, "link"));
    writeFileSync(join(root, ".gitignore"), "ignored/\n*.gen.ts\n");
    for (const name of ["x.gen.ts", ".hidden.ts", "UPPER.TS"])
      writeFileSync(join(root, "src", name), `export function in_${name.replace(/\W/g, "_")}() {}\n`);
    await index.update(["link", "src/x.gen.ts", "src/.hidden.ts", "src/UPPER.TS"].map((p) => join(root, p)));
    assert.deepEqual(
      ["fromOutside", "in_x_gen_ts", "in__hidden_ts", "in_UPPER_TS"].map((name) => index.find(name)),
      [[], [], [], []],
    );
  });

  it("drops a deleted file the index had skipped (too large) from its counts", async () => {
    const root = tree({ ...PROJECT, "src/big.ts": `export const big = "${"x".repeat(2_000_000)}";\n` });
    const index = indexFor(root, false);
    await index.ready();
    assert.equal(index.skippedFiles.large, 1);
    rmSync(join(root, "src", "big.ts"));
    await index.update([join(root, "src", "big.ts")]);
    assert.deepEqual(
      [index.skippedFiles.large, index.skipReason(join(root, "src", "big.ts"))],
      [0, undefined],
    );
  });

  it("keeps a cache on disk so a second build parses nothing, and a third only the changed file", async () => {
    const root = tree(PROJECT);
    const cache = tempDir("rune-symbol-cache-");
    const first = await indexFor(root, cache).ready();
    assert.equal(first.parsed, 3);

    const secondIndex = indexFor(root, cache);
    const second = await secondIndex.ready();
    assert.equal(second.parsed, 0);
    assert.equal(second.files, 3);
    assert.deepEqual(
      secondIndex.find("Circle/area").map((h) => h.relative),
      ["src/shapes.ts"],
      "cached symbols answer lookups",
    );

    writeFileSync(join(root, "src", "store.py"), "class Shop:\n    pass\n");
    const thirdIndex = indexFor(root, cache);
    const third = await thirdIndex.ready();
    assert.equal(third.parsed, 1);
    assert.equal(thirdIndex.find("Shop").length, 1);
    assert.equal(thirdIndex.find("Store").length, 0);
  });

  it("leaves out binary, minified and too large files, counting each reason, and takes them back when fixed", async () => {
    const minifiedLine = `${"var a=1;".repeat(2_500)}function minifiedOnly(){}`;
    const root = tree({
      ...PROJECT,
      "src/binary.ts": "export function inBinary() {}\n\0\0\0",
      "src/bundle.min.js": minifiedLine,
      "src/huge.ts": `export function inHuge() {}\n${"// padding\n".repeat(7_000)}`,
    });
    const index = new SymbolIndex({ roots: [root], pool: pool(), cache: false, maxFileBytes: 64 * 1024 });
    const stats = await index.ready();
    assert.deepEqual(stats.skipped, { large: 1, binary: 1, minified: 1 });
    assert.equal(stats.files, 3);
    assert.equal(index.skipReason(join(root, "src", "bundle.min.js")), "minified");
    for (const name of ["inBinary", "minifiedOnly", "inHuge"]) assert.deepEqual(index.find(name), []);

    writeFileSync(join(root, "src", "binary.ts"), "export function inBinary() {}\n");
    const fixed = await index.update([join(root, "src", "binary.ts")]);
    assert.deepEqual(fixed.skipped, { large: 1, binary: 0, minified: 1 });
    assert.equal(index.find("inBinary").length, 1);
  });

  it("still outlines a minified file asked for by name, and refuses a binary one with the reason", async () => {
    const root = tree({
      "bundle.js": `${"var a=1;".repeat(2_500)}function minifiedOnly(){}`,
      "blob.ts": "export const x = 1;\0",
    });
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    const outline = await engine.scope.symbols.documentSymbols("bundle.js");
    assert.ok(outline.symbols.some((s) => s.name === "minifiedOnly"));
    await assert.rejects(engine.scope.symbols.documentSymbols("blob.ts"), {
      code: "INVALID_ARGUMENT",
      message: /binary file/,
    });
  });

  it("writes the cache after updates, so a restart sees them without parsing", async () => {
    const root = tree(PROJECT);
    const cache = tempDir("rune-symbol-cache-");
    const index = indexFor(root, cache);
    await index.ready();
    writeFileSync(join(root, "src", "store.py"), "def renamed():\n    pass\n");
    await index.update([join(root, "src", "store.py")]);
    await index.save();
    const restarted = indexFor(root, cache);
    assert.equal((await restarted.ready()).parsed, 0);
    assert.equal(restarted.find("renamed").length, 1);
  });
});

describe("the symbol index over time: what a review of its state found", () => {
  it("drops a file that became a link, even to a file outside the workspace, and serves no body through it", async () => {
    const root = tree(PROJECT);
    const outside = tree({ "secret.ts": "export function leaked() {}\nconst PASSWORD = 'hunter2';\n" });
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    await engine.symbols.ready();
    rmSync(join(root, "src", "shapes.ts"));
    symlinkSync(join(outside, "secret.ts"), join(root, "src", "shapes.ts"));
    // Before any update, the index still names the file: its body is read through the sandbox.
    const found = await engine.scope.symbols.find({ namePath: "makeCircle", includeBody: true });
    assert.equal(found.symbols.length, 1);
    assert.equal(found.symbols[0]?.body, undefined);
    await engine.symbols.update([join(root, "src", "shapes.ts")]);
    assert.deepEqual([engine.symbols.find("leaked"), engine.symbols.find("makeCircle")], [[], []]);
  });

  it("follows a file and a folder of one name swapping places", async () => {
    const root = tree(PROJECT);
    const index = indexFor(root, false);
    await index.ready();
    // A file replaced by a folder: the folder's files join.
    rmSync(join(root, "src", "shapes.ts"));
    mkdirSync(join(root, "src", "shapes.ts"));
    writeFileSync(join(root, "src", "shapes.ts", "inner.ts"), "export function insideFolder() {}\n");
    await index.update([join(root, "src", "shapes.ts")]);
    assert.deepEqual(
      [index.find("Circle"), index.find("insideFolder").map((h) => h.relative)],
      [[], ["src/shapes.ts/inner.ts"]],
    );
    // And back: the folder's files leave.
    rmSync(join(root, "src", "shapes.ts"), { recursive: true });
    writeFileSync(join(root, "src", "shapes.ts"), "export function fileAgain() {}\n");
    await index.update([join(root, "src", "shapes.ts")]);
    assert.deepEqual(
      [index.find("insideFolder"), index.find("fileAgain").map((h) => h.relative)],
      [[], ["src/shapes.ts"]],
    );
  });

  it("applies a changed .gitignore: files it now ignores leave, files it no longer ignores join", async () => {
    const root = tree(PROJECT);
    const index = indexFor(root, false);
    await index.ready();
    writeFileSync(join(root, ".gitignore"), "lib/\n");
    await index.update([join(root, ".gitignore")]);
    assert.deepEqual(
      [index.find("MakeCache"), index.find("hidden").map((h) => h.relative)],
      [[], ["ignored/skip.ts"]],
    );
    writeFileSync(join(root, "src", ".ignore"), "store.py\n");
    await index.update([join(root, "src", ".ignore")]);
    assert.deepEqual(index.find("Store"), []);
  });

  it("ignores updates before its first build, so they cannot replace the cache on disk with a few files", async () => {
    const root = tree(PROJECT);
    const cache = tempDir("rune-symbol-cache-");
    assert.equal((await indexFor(root, cache).ready()).parsed, 3);
    const restarted = indexFor(root, cache);
    writeFileSync(join(root, "src", "store.py"), "class Shop:\n    pass\n");
    const early = await restarted.update([join(root, "src", "store.py")]);
    assert.deepEqual([early.files, early.parsed], [0, 0]);
    await restarted.save();
    const again = indexFor(root, cache);
    assert.equal((await again.ready()).parsed, 1, "the cache still holds the other files");
    assert.equal(again.find("Shop").length, 1);
  });
});

describe("the symbol cache on disk", () => {
  function cacheFor(root: string, folder: string, extra: Partial<SymbolCacheOptions> = {}) {
    const warnings: string[] = [];
    const index = new SymbolIndex({
      roots: [root],
      pool: pool(),
      cache: { folder, onWarning: (message) => warnings.push(message), ...extra },
      saveDelayMs: 10,
    });
    return { index, warnings };
  }

  it("ignores a cache that other extracting code wrote (another Rune version)", async () => {
    const root = tree(PROJECT);
    const folder = tempDir("rune-symbol-cache-");
    assert.equal((await cacheFor(root, folder, { extractor: "old" }).index.ready()).parsed, 3);
    assert.equal((await cacheFor(root, folder, { extractor: "old" }).index.ready()).parsed, 0);
    assert.equal((await cacheFor(root, folder, { extractor: "new" }).index.ready()).parsed, 3);
  });

  it("builds afresh from a damaged cache and keeps working when the cache cannot be written", async () => {
    const root = tree(PROJECT);
    const folder = tempDir("rune-symbol-cache-");
    const { index } = cacheFor(root, folder);
    await index.ready();
    const file = readdirSync(folder).find((name) => name.endsWith(".json")) as string;
    for (const damage of ["null", "[1]", '{"format":3,"extractor":"x","files":null}', '{"format']) {
      writeFileSync(join(folder, file), damage);
      const { index: rebuilt } = cacheFor(root, folder);
      const stats = await rebuilt.ready();
      assert.deepEqual([stats.parsed, rebuilt.find("Circle").length], [3, 1], damage);
    }
    // Entries of the wrong shape are dropped, not served.
    const data = JSON.parse(readFileSync(join(folder, file), "utf8"));
    data.files["src/shapes.ts"] = null;
    data.files["src/store.py"][2] = [null];
    writeFileSync(join(folder, file), JSON.stringify(data));
    const { index: partly } = cacheFor(root, folder);
    assert.equal((await partly.ready()).parsed, 2);
    assert.equal(partly.find("null").length, 0);
    // A cache folder that is a file: the build succeeds and says why nothing was saved.
    const blocked = join(tempDir("rune-symbol-cache-"), "file");
    writeFileSync(blocked, "");
    const unwritable = cacheFor(root, join(blocked, "symbols"));
    assert.equal((await unwritable.index.ready()).files, 3);
    assert.match(unwritable.warnings.join("\n"), /not written/);
  });

  it("deletes only its own files when trimming, and refuses a folder others control", async () => {
    const root = tree(PROJECT);
    const folder = tempDir("rune-symbol-cache-");
    writeFileSync(join(folder, "thesis.odt"), "x".repeat(4096));
    const orphan = join(folder, ".0123456789abcdef0123.v3.json.rune-00aa11bb22cc.tmp");
    writeFileSync(orphan, "left by a killed process");
    utimesSync(orphan, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await cacheFor(root, folder).index.ready();
    const [first] = readdirSync(folder).filter((name) => name.endsWith(".json"));
    assert.deepEqual(readdirSync(folder).sort(), [first, "thesis.odt"].sort(), "the orphan went");
    // Over the bound, the older cache (another root's) goes; the user's file stays.
    const maxBytes = Math.round(statSync(join(folder, first as string)).size * 1.5);
    await cacheFor(tree(PROJECT), folder, { maxBytes }).index.ready();
    const left = readdirSync(folder);
    assert.equal(left.length, 2);
    assert.ok(left.includes("thesis.odt") && !left.includes(first as string));
    // A folder anyone may write to, or a link, is not used.
    // Group write in the user's private group (umask 002) is fine.
    const grouped = tempDir("rune-symbol-cache-");
    chmodSync(grouped, 0o770);
    await cacheFor(root, grouped).index.ready();
    assert.equal(readdirSync(grouped).filter((name) => name.endsWith(".json")).length, 1);
    const shared = tempDir("rune-symbol-cache-");
    chmodSync(shared, 0o777);
    const open = cacheFor(root, shared);
    await open.index.ready();
    assert.deepEqual(readdirSync(shared), []);
    assert.match(open.warnings.join("\n"), /written by other users/);
    const target = tempDir("rune-symbol-cache-");
    const link = join(tempDir("rune-symbol-cache-"), "symbols");
    symlinkSync(target, link);
    const linked = cacheFor(root, link);
    await linked.index.ready();
    assert.deepEqual(readdirSync(target), []);
    assert.match(linked.warnings.join("\n"), /not a folder/);
  });
});

describe("the engine's symbol index", () => {
  it("follows a root removed and made again: its files leave, and the new ones are indexed", async () => {
    const root = tree(PROJECT);
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    await engine.watch();
    await engine.symbols.ready();
    const graph = await engine.dependencyGraph();
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + 15_000;
      while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    rmSync(root, { recursive: true });
    await until(() => engine.symbols.find("Circle").length === 0 && !engine.watching);
    assert.deepEqual([engine.symbols.find("Circle"), engine.watching, graph.size], [[], false, 0]);
    // A fresh clone in its place: watched again, read afresh, and its later changes followed.
    mkdirSync(join(root, "src"), { recursive: true });
    writeFileSync(join(root, "src", "fresh.ts"), "export function recloned() {}\n");
    await until(() => engine.symbols.find("recloned").length === 1 && engine.watching);
    assert.deepEqual(
      engine.symbols.find("recloned").map((h) => h.relative),
      ["src/fresh.ts"],
    );
    writeFileSync(join(root, "src", "later.ts"), "export function afterwards() {}\n");
    await until(() => engine.symbols.find("afterwards").length === 1);
    assert.equal(engine.symbols.find("afterwards").length, 1);
    assert.ok(graph.has(join(root, "src", "later.ts")) || graph.has(join(root, "src", "fresh.ts")));
    // Removed and made again at once (the new folder may even get the old one's inode).
    rmSync(root, { recursive: true });
    mkdirSync(root);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    writeFileSync(join(root, "again.ts"), "export function thirdClone() {}\n");
    await until(() => engine.symbols.find("thirdClone").length === 1);
    assert.deepEqual(
      [engine.symbols.find("thirdClone").length, engine.symbols.find("recloned").length, engine.watching],
      [1, 0, true],
    );
  });

  it("follows the file watcher: a file edited on disk is re-indexed without being asked", async () => {
    const root = tree(PROJECT);
    const engine = new Engine({ roots: [root], allowWrites: false, symbolCache: false });
    engines.push(engine);
    await engine.watch();
    await engine.symbols.ready();
    writeFileSync(join(root, "src", "shapes.ts"), "export function watchedEdit() {}\n");
    const deadline = Date.now() + 10_000;
    while (engine.symbols.find("watchedEdit").length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(
      engine.symbols.find("watchedEdit").map((h) => h.relative),
      ["src/shapes.ts"],
    );
    assert.deepEqual(engine.symbols.find("Circle"), []);
  });
});

describe("symbol tools, through the official SDK client", () => {
  it("answers document_symbols, workspace_symbols and find_symbol with structured content", async () => {
    const root = tree(PROJECT);
    const c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root]);
    try {
      const call = async (name: string, args: Record<string, unknown>) =>
        (await c.client.callTool({ name, arguments: args })) as {
          isError?: boolean;
          content: { text?: string }[];
          structuredContent?: Record<string, unknown>;
        };
      const outlineResult = await call("document_symbols", { path: "src/shapes.ts" });
      assert.equal(outlineResult.isError, undefined);
      assert.deepEqual(
        ((outlineResult.structuredContent?.symbols ?? []) as DocumentSymbol[]).map((s) => s.name),
        ["Circle", "area", "makeCircle"],
      );

      const search = await call("workspace_symbols", { query: "mkcirc", limit: 5 });
      const found = search.structuredContent?.symbols as { namePath: string; relative: string }[];
      assert.equal(found[0]?.namePath, "makeCircle");
      assert.deepEqual(search.structuredContent?.indexed, {
        files: 3,
        symbols: 7,
        skipped: { large: 0, binary: 0, minified: 0 },
      });

      const withBody = await call("find_symbol", { namePath: "Circle/area", includeBody: true });
      const symbols = withBody.structuredContent?.symbols as { body?: string; relative: string }[];
      assert.equal(symbols.length, 1);
      assert.equal(symbols[0]?.body, "  area() { return 1; }");

      const outside = await call("document_symbols", { path: "/etc/hostname" });
      assert.equal(outside.isError, true);
      assert.match(outside.content[0]?.text ?? "", /^PATH_OUTSIDE_ROOT/);
    } finally {
      await c.close();
    }
  });
});

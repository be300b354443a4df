import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { extractSymbols } from "../src/engine/symbols/extract-symbols.js";
import { threadGrammarLoader } from "../src/engine/symbols/grammar-loader.js";
import { type LanguageId, languageOf } from "../src/engine/symbols/languages.js";
import { ShortenedText } from "../src/engine/symbols/shortened-text.js";
import type { DocumentSymbol } from "../src/engine/symbols/symbol.js";
import { symbolFreeBlocks } from "../src/engine/symbols/symbol-free-blocks.js";
import { parseForSymbols } from "../src/engine/symbols/symbols-task.js";
import { WARM_UP_SAMPLES, WARM_UP_SYNTAX_ERROR } from "../src/engine/symbols/warm-up.js";

/*
 * The symbol index parses JavaScript and TypeScript without the blocks that cannot hold a symbol.
 * Whatever it skips, the symbols must be exactly those of a parse of the whole file: names, kinds,
 * containers and ranges. These tests compare the two on tricky code and on real code.
 */

const REPO = fileURLToPath(new URL("../../", import.meta.url));

async function symbolsBothWays(
  text: string,
  language: LanguageId,
): Promise<{ whole: DocumentSymbol[]; shortened: DocumentSymbol[]; skipped: number[] | undefined }> {
  const spec = languageOf(`x.${language === "javascript" ? "js" : language === "tsx" ? "tsx" : "ts"}`);
  assert.ok(spec);
  const { parser, grammar } = await threadGrammarLoader().parserFor(spec);
  const full = parser.parse(text);
  assert.ok(full);
  const whole = extractSymbols(full, grammar.query, new ShortenedText(text, []));
  full.delete();
  const parsed = parseForSymbols(parser, text, language);
  const shortened = extractSymbols(parsed.tree, grammar.query, parsed.source);
  parsed.tree.delete();
  return { whole, shortened, skipped: symbolFreeBlocks(text, language) };
}

/** Every one of `names` is among the symbols. */
function assertNamed(symbols: readonly DocumentSymbol[], names: readonly string[]): void {
  for (const name of names)
    assert.ok(
      symbols.some((s) => s.name === name),
      `${name} is a symbol`,
    );
}

/** Whether the parse without the skipped contents has a syntax error (the caller would fall back). */
async function shortenedHasError(text: string, language: LanguageId): Promise<boolean> {
  const spec = languageOf(`x.${language === "javascript" ? "js" : language === "tsx" ? "tsx" : "ts"}`);
  assert.ok(spec);
  const { parser } = await threadGrammarLoader().parserFor(spec);
  const skipped = symbolFreeBlocks(text, language) ?? [];
  const tree = parser.parse(new ShortenedText(text, skipped).text);
  assert.ok(tree);
  const error = tree.rootNode.hasError;
  tree.delete();
  return error;
}

/** The skipped texts, for asserting what was (and was not) left out. */
function skippedTexts(text: string, skipped: number[] | undefined): string[] {
  const texts: string[] = [];
  for (let i = 0; skipped && i < skipped.length; i += 2) texts.push(text.slice(skipped[i], skipped[i + 1]));
  return texts;
}

const FILLER = "const local = compute(1, 2, 3); if (local > 2) { other(local); }";

describe("parsing without symbol-free blocks", () => {
  it("skips function bodies that define nothing and keeps the symbols around them", async () => {
    const text = `
function outer(a, b) {
  ${FILLER}
  return a + b;
}
class Widget {
  size = 3;
  render(x) { ${FILLER} }
  get label() { ${FILLER} }
  static create() { return new Widget(); }
}
const handler = (event) => { ${FILLER} event.stop(); };
`;
    const { whole, shortened, skipped } = await symbolsBothWays(text, "javascript");
    assert.deepEqual(shortened, whole);
    assert.ok(whole.some((s) => s.name === "size" && s.kind === "property"));
    const texts = skippedTexts(text, skipped);
    assert.ok(
      texts.some((t) => t.includes("return a + b")),
      "the plain function body is skipped",
    );
    assert.ok(!texts.some((t) => t.includes("size = 3")), "a class body is never skipped");
    assert.ok(
      texts.some((t) => t.includes("event.stop()")),
      "a body after the class's is skipped",
    );
  });

  it("keeps blocks that hold nested declarations, methods or functions assigned to members", async () => {
    const text = `
function factory() {
  ${FILLER}
  function inner() { ${FILLER} }
  return inner;
}
function withClass() { ${FILLER} class Local { method() { ${FILLER} } } }
function withObject() { ${FILLER} return { method() { ${FILLER} }, [Symbol.iterator]() { ${FILLER} } }; }
function withMembers(target) {
  ${FILLER}
  target.onClick = (e) => { ${FILLER} };
  target.onKey = async function () { ${FILLER} };
  target.onLoad = e => e.value;
  this.items = list.map((x) => x * 2);
}
module.exports.helper = function () { ${FILLER} };
exports.other = class { run() { ${FILLER} } };
`;
    const { whole, shortened, skipped } = await symbolsBothWays(text, "javascript");
    assert.deepEqual(shortened, whole);
    assertNamed(whole, ["inner", "Local", "method", "onClick", "onKey", "onLoad", "helper", "run"]);
    assert.ok(!whole.some((s) => s.name === "items"), "a member assigned a call's result is not");
    assert.ok((skipped?.length ?? 0) > 0);
  });

  it("is not misled by strings, templates, regular expressions and comments holding braces", async () => {
    const text = `
function tricky() {
  const a = "}{ function fake() {";
  const b = \`\${ { nested: "}" }.nested } } { \${ "\`" }\`;
  const c = /[}{]+\\/}/g.test(a);
  // } function commented() {
  /* { class Hidden {} */
  return a + b + c;
}
function after() { ${FILLER} }
const re = x / 2 / 3; function divided() { ${FILLER} }
`;
    const { whole, shortened } = await symbolsBothWays(text, "javascript");
    assert.deepEqual(shortened, whole);
    assert.deepEqual(
      whole.map((s) => s.name),
      ["tricky", "after", "re", "divided"],
    );
  });

  it("keeps TypeScript declarations in bodies, and the bodies of interfaces, enums, namespaces and type literals", async () => {
    const text = `
export function local(): number {
  ${FILLER}
  interface Inner { a: string; b(): void }
  type Pair = { left: number; right: number };
  enum Mode { On, Off }
  return 1;
}
function plain(a: { x: number; y: number }, b: readonly (string | number)[]): { z: number } {
  ${FILLER}
  return { z: a.x };
}
class Box<T extends { id: string }> implements Holder<{ id: string }> {
  private value: T | undefined;
  constructor(private readonly label: string) { super(); ${FILLER} }
  get(): T | undefined { ${FILLER} return this.value; }
  set = (value: T): void => { ${FILLER} };
}
declare module "ambient" { export function hook(): void; }
declare global { interface Window { rune: string } }
namespace Space.Inner { export const unit = 1; }
abstract class Shape { abstract area(): number; }
const obj = { method(): number { ${FILLER} return 1; } };
`;
    const { whole, shortened, skipped } = await symbolsBothWays(text, "typescript");
    assert.deepEqual(shortened, whole);
    assertNamed(whole, [
      "Inner",
      "Pair",
      "left",
      "Mode",
      "On",
      "value",
      "get",
      "hook",
      "rune",
      "unit",
      "area",
    ]);
    const texts = skippedTexts(text, skipped);
    assert.ok(
      texts.some((t) => t.includes("return { z: a.x }")),
      "a plain body is skipped",
    );
    assert.ok(!texts.some((t) => t.includes("private value")), "a generic class's body is kept");
  });

  it("handles TSX, whose text may hold quotes", async () => {
    const text = `
export function Card({ title }: { title: string }) {
  ${FILLER}
  return <div className="card">Don't {title} <span>{items.map((i) => <b key={i}>{i}</b>)}</span></div>;
}
export class Panel extends Component { render() { return <p>{this.props.text}</p>; } }
`;
    const { whole, shortened } = await symbolsBothWays(text, "tsx");
    assert.deepEqual(shortened, whole);
    assert.deepEqual(
      whole.map((s) => s.name),
      ["Card", "Panel", "render"],
    );
  });

  it("keeps every symbol in the cases a review found tricky", async () => {
    const cases: [LanguageId, string][] = [
      // methods named by keywords
      [
        "javascript",
        `const api = { delete(id) { ${FILLER} }, catch(e) { ${FILLER} }, get new() { ${FILLER} } };`,
      ],
      ["typescript", `const guard = { is(x: unknown): x is string { ${FILLER}; return true } };`],
      // declarations after a statement that ends without a semicolon, or after a label
      ["javascript", `function f(i) {\n  ${FILLER}\n  i++\n  function inner() {}\n}`],
      ["typescript", `function f(el: any) {\n  ${FILLER}\n  const x = el!\n  function inner() {}\n}`],
      ["tsx", `function f() {\n  ${FILLER}\n  const el = <div />\n  function inner() {}\n  return el\n}`],
      [
        "javascript",
        `function f(k) {\n  ${FILLER}\n  switch (k) { case 1: function inner() {} }\n  lbl: function other() {}\n}`,
      ],
      ["javascript", `function f() {\n  ${FILLER}\n  return\n  function inner() {}\n}`],
      // declaration keywords followed by comments or line breaks
      ["typescript", `interface /* public */ Options { verbose: boolean; level: number }`],
      [
        "typescript",
        `function f() {\n  ${FILLER}\n  interface\n  Local { a: string }\n  type /* c */ Pair = { b: number }\n}`,
      ],
      // JSX that looks like regular expressions, strings or comments
      [
        "javascript",
        `function App() { ${FILLER}\n  return <p><b>Hi</b><Chart options={{ formatter(v) { return v + "%" } }} /></p>;\n}`,
      ],
      [
        "tsx",
        `function App() { ${FILLER}\n  return <p>Don't <a onClick={() => { window.onresize = () => layout() }}>go</a></p>;\n}`,
      ],
      [
        "tsx",
        `function Help() {\n  ${FILLER}\n  const el = <p>Put sources in src/*.ts</p>;\n  function inner() {}\n  /* done */\n  return el;\n}`,
      ],
      // member assignments: a default value inside the parameters, and inside an IIFE's body
      ["javascript", `function f(o) {\n  ${FILLER}\n  o.handler = (a = o.b = 1) => a\n}`],
      [
        "javascript",
        `o.loader = (function () { ${FILLER}\n  function load() { ${FILLER}\n    xhr.onload = function () { ${FILLER} };\n  }\n  return { load };\n}());`,
      ],
      // a computed name after a comma is not an array literal
      ["javascript", `const o = { a: 1, [Symbol.asyncIterator]() { ${FILLER} } };`],
    ];
    for (const [language, text] of cases) {
      const { whole, shortened } = await symbolsBothWays(text, language);
      assert.deepEqual(shortened, whole, text);
    }
    // Emptying the computed name would only make the parser fall back to the whole file.
    const computed = `const o = { a: 1, [Symbol.asyncIterator + "-" + suffixOfTheName]() { ${FILLER} } };`;
    const kept = skippedTexts(computed, symbolFreeBlocks(computed, "javascript"));
    assert.ok(!kept.some((t) => t.includes("Symbol.asyncIterator")));
  });

  it("leaves out runs of statements without symbols, never splitting if from else or a switch's cases", async () => {
    const text = `
import { a } from "./a.js";
import { b, c } from "./b.js";
"use strict";
const kept = 1;
export const alsoKept = 2;
register(a, b, c);
function host(k) {
  let total = compute(1, 2, 3);
  total += compute(4, 5, 6);
  this.items = [];
  function nested() { ${FILLER} }
  if (k) host(k - 1);
  else { function inElse() {} }
  switch (k) { case 1: total++; other(total, total); break; case 2: function inCase() {} }
  do total--; while (total > 0);
  return nested;
}
`;
    const { whole, shortened, skipped } = await symbolsBothWays(text, "javascript");
    assert.deepEqual(shortened, whole);
    assertNamed(whole, ["kept", "alsoKept", "host", "nested", "inElse", "inCase"]);
    const texts = skippedTexts(text, skipped);
    assert.ok(
      texts.some((t) => t.includes('import { b, c } from "./b.js";')),
      "imports are left out",
    );
    assert.ok(
      texts.some((t) => t.includes("total += compute(4, 5, 6);")),
      "plain statements are left out",
    );
    assert.ok(!texts.some((t) => t.includes("const kept")), "a module's variables are kept");
    assert.ok(!texts.some((t) => t.includes("host(k - 1)")), "an if is kept with its else");
    assert.ok(!texts.some((t) => t.includes("total++")), "a switch's cases are kept");
    assert.equal(await shortenedHasError(text, "javascript"), false);
  });

  it("keeps statement runs from stretching symbols, hiding class fields or cutting JSX", async () => {
    const cases: [LanguageId, string][] = [
      // a run reaching the end of the text (no line break after it)
      [
        "typescript",
        "type Props = { title: string };\nReactDOM.render(app, root); serviceWorker.unregister();",
      ],
      ["typescript", "function g(a: string): void;\nmain(process.argv); process.exitCode = 0;"],
      // a class expression in an `extends` clause
      ["javascript", "class A extends class {} { xxxxxxxxxx = 1; yyyyyyyyyyyy = 2; m() {} }"],
      // `;` in JSX text
      [
        "tsx",
        "export const A = <p>Tom&apos;s book</p>;\nx = 1; y = 2; z = 3;\nw = <p>Ann&apos;s pen</p>\nexport function f() {}\n",
      ],
      [
        "javascript",
        'export const C = () => <p>&copy; 2024 Acme&nbsp;Inc.</p>;\nC.displayName = "Copyright";\nexport default C;\n',
      ],
      // a division after `++` is no regular expression
      ["typescript", "count++ / 2; const half = total / 2;\nexport function f() {}\n"],
    ];
    for (const [language, text] of cases) {
      const { whole, shortened } = await symbolsBothWays(text, language);
      assert.deepEqual(shortened, whole, text);
      assert.equal(await shortenedHasError(text, language), false, text);
    }
  });

  it("warms threads up with samples that parse cleanly, shortened and whole", async () => {
    for (const [language, sample] of Object.entries(WARM_UP_SAMPLES) as [LanguageId, string][]) {
      const { whole, shortened, skipped } = await symbolsBothWays(sample, language);
      assert.deepEqual(shortened, whole, language);
      assert.ok(whole.length > 20 && (skipped?.length ?? 0) > 20, language);
      assert.equal(await shortenedHasError(sample, language), false, language);
      // The warm-up's last round: the error must make the shortened parse fail, so the fallback
      // to a whole parse is warmed up too.
      assert.equal(await shortenedHasError(sample + WARM_UP_SYNTAX_ERROR, language), true, language);
    }
  });

  it("leaves out comments on lines of their own, never one beside code", async () => {
    const declarations = [
      "/**",
      " * A shape.",
      " * @see https://example.com/{not}a(block)",
      " */",
      "export interface Shape {",
      "  /** Its area, in square units of whatever the caller measures in. */",
      "  area(): number;",
      "  // a line comment of its own, long enough to be left out",
      "  // and another right below it",
      "  name: string; // beside code: kept",
      "}",
      "let x = 1",
      "/* a comment whose line breaks end the statement before it */",
      "function after() {}",
      "const y = 2 /* glued to code: kept, whatever its length */ + 3;",
    ].join("\n");
    const { whole, shortened, skipped } = await symbolsBothWays(declarations, "typescript");
    assert.deepEqual(shortened, whole);
    assertNamed(shortened, ["Shape", "area", "name", "x", "after", "y"]);
    const left = skippedTexts(declarations, skipped);
    assert.ok(
      left.some((t) => t.startsWith("/**\n * A shape.") && t.endsWith("*/")),
      left.join(" | "),
    );
    assert.ok(left.some((t) => t.startsWith("/** Its area")));
    assert.ok(left.some((t) => t.startsWith("// a line comment") && t.endsWith("right below it")));
    assert.ok(left.some((t) => t.startsWith("/* a comment whose")));
    assert.ok(!left.some((t) => t.includes("beside code") || t.includes("glued to code")), left.join(" | "));
    // JSX text that looks like a comment on its own line: the symbols are still the whole parse's.
    const jsx = `export function Page() {\n  return (\n    <p>\n      // see http://example.com {link}\n    </p>\n  );\n}\nexport const after = 1;\n`;
    const both = await symbolsBothWays(jsx, "tsx");
    assert.deepEqual(both.shortened, both.whole);
  });

  it("keeps what only looks like a comment, where the tokenizer may have misread it", async () => {
    // Cases a review found where leaving out what the tokenizer took for comments lost symbols
    // with no syntax error to fall back on. Each must give the whole parse's symbols.
    const cases: [string, LanguageId, string][] = [
      [
        "/* in JSX text, across code",
        "javascript",
        "const a = <pre>\n/*\n</pre>;\nfunction lost() {}\nconst b = <pre>\n*/\n</pre>;\n",
      ],
      [
        "/* in JSX text, across code",
        "tsx",
        "const a = <pre>\n/*\n</pre>;\nfunction lost() {}\nconst b = <pre>\n*/\n</pre>;\n",
      ],
      [
        "a regex with a backtick read as a division",
        "typescript",
        "if (x) /`/.test(s);\nconst a = `\n/*\n`;\nfunction lost() {}\nconst b = `\n*/\n`;\n",
      ],
      [
        "a backtick in JSX text",
        "tsx",
        "const p = <p>run `npm i</p>;\nconst a = `\n/*\n`;\nfunction lost() {}\nconst b = `\n*/\n`;\n",
      ],
      [
        "a string continued over a CRLF",
        "typescript",
        'const a = "\\\r\n/*\r\n";\r\nfunction lost() {}\r\nconst b = "\\\r\n*/\r\n";\r\n',
      ],
      ["a lone CR ending a // comment", "javascript", "// note\rfunction lost() {}\nfunction kept() {}\n"],
      ["U+2028 ending a // comment", "typescript", "// note\u2028function lost() {}\nfunction kept() {}\n"],
      [
        "a block comment and a line comment on one line",
        "javascript",
        "class A {\n  m() {}\n  /* block */ // line\n  *g() {}\n}\n",
      ],
      [
        "// in JSX text holding an expression",
        "javascript",
        "const el = <p>\n  // see {class Local { m() {} }}\n</p>;\n",
      ],
      [
        "/* */ in JSX text holding an expression",
        "tsx",
        "const el = <p>\n  /* see {class Local { m() {} }} */\n</p>;\n",
      ],
    ];
    for (const [what, language, text] of cases) {
      const { whole, shortened } = await symbolsBothWays(text, language);
      assert.deepEqual(shortened, whole, `${what} (${language})`);
    }
    // A doc comment may hold braces ({Type}) and is still left out where JSX may be.
    const doc = "/**\n * @param {string} name the name\n */\nexport function greet(name) {}\n";
    assert.ok(skippedTexts(doc, symbolFreeBlocks(doc, "javascript")).some((t) => t.startsWith("/**")));
  });

  it("keeps object-literal methods named after statement keywords", async () => {
    const text = [
      "const o = {",
      "  if(x) { return x + compute(1, 2, 3); },",
      "  for(y) { return y + compute(4, 5, 6); },",
      "};",
      "call({ while(a) { step(a, a, a, a); } }, [{ switch(b) { pick(b, b, b, b); } }]);",
      "function f() {",
      "  if (ready(1, 2, 3)) { go(4, 5, 6); }",
      "  return { with(z) { return z * z * z * z; } };",
      "}",
    ].join("\n");
    const { whole, shortened } = await symbolsBothWays(text, "javascript");
    assert.deepEqual(shortened, whole);
    assertNamed(shortened, ["if", "for", "while", "switch", "with", "f"]);
  });

  it("reads names from the file, not from the shortened text the parser saw", async () => {
    // A computed name holds an argument list the pass leaves out; a comment inside one too.
    const text = "class A {\n  [key(first, second, third)]() {}\n  [\n    // which one\n    other]() {}\n}\n";
    const { whole, shortened, skipped } = await symbolsBothWays(text, "javascript");
    assert.ok((skipped ?? []).length > 0, "something was left out");
    assert.deepEqual(shortened, whole);
    assert.ok(shortened.some((s) => s.name === "[key(first, second, third)]"));
  });

  it("skips every symbol-free block, however many a file has", async () => {
    // Each line a symbol (a member assigned a function) whose body can be skipped.
    const text = Array.from(
      { length: 3000 },
      (_, i) => `o.m${i} = function () { f(${"x, ".repeat(8 + (i % 7))}${i}); };`,
    ).join("\n");
    const skipped = symbolFreeBlocks(text, "javascript") ?? [];
    assert.equal(skipped.length, 2 * 3000);
    for (let i = 2; i < skipped.length; i += 2)
      assert.ok((skipped[i] as number) > (skipped[i - 1] as number));
    const { whole, shortened } = await symbolsBothWays(text, "javascript");
    assert.equal(shortened.length, 3000);
    assert.deepEqual(shortened, whole);
  });

  it("parses the whole file when braces do not balance or the shortened file has an error", async () => {
    assert.equal(symbolFreeBlocks("function f() { } }", "javascript"), undefined);
    assert.equal(symbolFreeBlocks("function f() { ( }", "javascript"), undefined);
    // A real syntax error outside the skipped blocks: the symbols are the whole parse's.
    const broken = `function ok() { ${FILLER} }\nfunction bad( { ${FILLER} }\nclass After { m() {} }\n`;
    const { whole, shortened } = await symbolsBothWays(broken, "javascript");
    assert.deepEqual(shortened, whole);
  });

  it("maps offsets in the shortened text back to the original's lines and UTF-16 columns", () => {
    const original = "a😀\n{ bc }\nd";
    const shortened = new ShortenedText(original, [5, 9]);
    assert.equal(shortened.text, "a😀\n{}\nd");
    // The `}` (index 5 here) is at 9 in the original: line 2, column 6.
    assert.equal(shortened.startOf(5), 9);
    assert.deepEqual(shortened.position(shortened.startOf(5)), { line: 2, column: 6 });
    // An end at the seam is the end of the piece before it (just after the `{`), not the next start.
    assert.equal(shortened.endOf(5), 5);
    assert.equal(shortened.endOf(shortened.text.length), original.length);
    assert.deepEqual(shortened.position(original.length), { line: 3, column: 2 });
    // The emoji counts two UTF-16 units: `\n` is column 4 of line 1.
    assert.deepEqual(shortened.position(3), { line: 1, column: 4 });
    // Nothing skipped: the same text, offsets unchanged.
    const same = new ShortenedText(original, []);
    assert.equal(same.text, original);
    assert.equal(same.startOf(7), 7);
  });

  it("finds the same symbols as a whole parse in real code: Rune's sources and its dependencies", async () => {
    const files: string[] = [];
    const collect = (folder: string, depth = 0) => {
      for (const name of readdirSync(folder)) {
        const path = join(folder, name);
        if (statSync(path).isDirectory()) {
          if (depth < 6 && name !== "node_modules") collect(path, depth + 1);
        } else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name) && statSync(path).size < 512 * 1024) files.push(path);
      }
    };
    collect(join(REPO, "src"));
    collect(join(REPO, "test"));
    for (const pkg of ["ajv/dist/compile", "zod/v4/core", "piscina/dist", "picomatch/lib", "pino/lib"])
      collect(join(REPO, "node_modules", pkg));
    assert.ok(files.length > 200, `${files.length} files`);
    let skippedAny = 0;
    for (const path of files) {
      const spec = languageOf(path);
      if (!spec) continue;
      const text = readFileSync(path, "utf8");
      const { whole, shortened, skipped } = await symbolsBothWays(text, spec.id);
      assert.deepEqual(shortened, whole, path);
      if (skipped && skipped.length > 0) skippedAny++;
    }
    assert.ok(skippedAny > files.length / 2, `blocks were skipped in ${skippedAny} of ${files.length} files`);
  });
});

import type { LanguageId } from "./languages.js";

/*
 * A worker's first second of indexing runs mostly unoptimized: V8 optimizes the tokenizer pass
 * and the code around each parse only once they are hot, and throws that code away each time a
 * later file takes a branch no earlier file took (a template literal, a regular expression, a
 * keyword-named method), which on real trees happens for hundreds of milliseconds. Running a
 * few samples that take every branch first, before any of it is optimized, lets V8 optimize it
 * once with everything it needs to know. On the benchmark corpus it shortened a cold two-worker
 * build from 2006 to 1865 ms (medians of five alternating pairs), and with the samples taking
 * the rarer branches too, further. The samples must parse without errors, so they exercise the
 * usual path.
 */

const BODY = "const local = compute(1, 2.5, 300); if (local > 2) { other(local); } else { local--; }";

// The rarer branches come first, so they are seen before the pass is first optimized.
const ECMASCRIPT = `
// a line comment; /* a block comment */ and one glued after a colon:
const glue = { key:// here
  1 };
import { a, b as c } from "./a.js";
import * as all from "./all.js";
"use strict";
const kept = 1, re = /[}{]+\\/}/g, divided = kept / 2 / 3, tpl = \`x \${{ n: "}" }.n} y \${"\`"}\`;
const quoted = 'it\\'s', other = "say \\"hi\\"", semi = /a;b/, glued = quoted/* a comment after a word */;
const computed = [{ a: 1, [quoted + other + "-suffix"]: 2, [other]() {} }], hidden = (function () { return [semi, glued]; })();
export const list = [1, 2, [3, 4]], pairs = { a: [1], b: (2) };
register(a, c, all);
export default function main(k, ...rest) {
  // an indented comment on a line of its own, left out of the parse,
  // with another right below it
  /**
   * A doc comment over lines, naming a {Type},

   * with a blank line in it.
   */
  /* and a block comment with spaces after it */ \t
  let total = compute(1, 2, 3); total += k ? rest.length : 0; total++; total--;
  this.items = []; this.onClick = (e) => { ${BODY} }; this.onKey = async function () { ${BODY} };
  this.onLoad = e => e.value; this.make = class { run() { ${BODY} } }; this.fn = (x = this.y = 1) => x;
  function nested(x) { ${BODY} return x; }
  function* gen() { yield 1; yield* gen(); }
  async function load() { await fetch(kept); for await (const item of stream) use(item); }
  if (k) main(k - 1); else { total = 0; }
  switch (k) { case 1: total++; break; default: total = 2; }
  do total--; while (total > 0);
  try { risky(); } catch (error) { handle(error); } finally { done(); }
  outer: for (const [x, y] of Object.entries(pairs)) { for (let i = 0; i < 3; i++) { if (x) continue outer; } }
  const api = { delete(id) { ${BODY} }, catch(e) { ${BODY} }, if(x) { ${BODY} }, get size() { return 1; }, set size(v) {},
    [Symbol.iterator]() { ${BODY} }, "quoted"() {}, async *stream() {}, value: function () { ${BODY} } };
  const f = function named() { ${BODY} }, g = async () => { ${BODY} }, h = (function () { ${BODY} })();
  return typeof f === "function" ? void 0 : delete api.size, new Map(), [...rest];
}
module.exports = main; exports.helper = function helper() { ${BODY} };
class Animal extends Base { legs = 4; static count = 0; static { Animal.count++; } #secret = 1;
  constructor(name) { super(name); ${BODY} } speak() { ${BODY} } get name() { return this.#secret; } }
`;

const JSX = `
export function Card({ title, items }) {
  ${BODY}
  return (
    <div className="card" onClick={() => { window.onresize = () => layout(); }}>
      <h1>{title}</h1>
      <p>Don't stop. See http://example.com for src/*.ts files.</p>
      <ul>{items.map((item) => <li key={item.id}>{item.name}</li>)}</ul>
      <input ref={(el) => { el.onfocus = () => select(el); }} />
    </div>
  );
}
`;

const TYPESCRIPT = `
export function local(): number { ${BODY} interface Inner { a: string; b(): void } type Pair = { left: number }; enum Mode { On, Off } return 1; }
function plain(a: { x: number }, b: readonly (string | number)[], c: keyof Shape): { z: number } { ${BODY} return { z: a.x }; }
export class Box<T extends { id: string }> extends Base<{ a: 1 }> implements Holder<{ id: string }> {
  private value: T | undefined; static { Box.count++; } static count = 0;
  constructor(private readonly label: string) { super(); ${BODY} }
  get(): T | undefined { ${BODY} return this.value; }
  set = (value: T): void => { ${BODY} };
  is(x: unknown): x is string { return typeof x === "string"; }
  async *items<U>(this: Box<T>, ...rest: U[]): AsyncGenerator<U> { yield* rest; }
}
declare module "ambient" { export function hook(): void; }
declare global { interface Window { rune: string } }
namespace Space.Inner { export const unit = 1; function helper(): void {} }
export declare namespace Editors { export const EditorType: { code: string }; }
export abstract class Shape { abstract area(): number; protected constructor() {} }
export interface Options { verbose?: boolean; readonly level: number; [key: string]: unknown; run(): void }
export type Alias<T> = { a: string } & Partial<T>;
export enum Color { Red = 1, Green = Red << 1 }
export const obj = { method(): number { ${BODY} return 1; } } satisfies Record<string, unknown>;
export const gen = <T,>(x: T): T => x, cast = obj as unknown as Options, sure = obj!;
function overload(a: string): void;
function overload(a: number): void;
function overload(a: unknown): void { ${BODY} }
`;

/** A sample per language whose symbol pass benefits from warming up. */
export const WARM_UP_SAMPLES: Partial<Record<LanguageId, string>> = {
  javascript: JSX + ECMASCRIPT,
  typescript: ECMASCRIPT.replace("export default function main", "export function main") + TYPESCRIPT,
  tsx: JSX + TYPESCRIPT,
};

/** Appended to a sample for one round: a file with a syntax error is parsed whole, a branch too. */
export const WARM_UP_SYNTAX_ERROR = "\nexport const = ;\n";

/** Rounds over a sample: enough for V8 to see every branch before it optimizes. */
export const WARM_UP_ROUNDS = 8;

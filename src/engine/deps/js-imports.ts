import { type ImportKind, type ImportRecord, linesOf } from "./import-record.js";
import { JsLexer, Tok } from "./js-lexer.js";

const DOT = 46;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COMMA = 44;
const STAR = 42;
const EQUALS = 61;
const SEMICOLON = 59;

/** How many tokens an import or export clause may take before the scanner gives up on it. */
const MAX_CLAUSE_TOKENS = 4096;
/** Nor more characters: with large tokens (templates, JSX), 4,096 of them re-read at each retry was quadratic. */
const MAX_CLAUSE_CHARS = 16_384;

interface Found {
  specifier: string;
  kind: ImportKind;
  typeOnly: boolean;
  offset: number;
}

/**
 * The imports of a JavaScript or TypeScript module (TSX, JSX, ESM and CommonJS alike): static
 * imports and `export ... from`, `import x = require()`, and `import()` / `require()` with a
 * literal argument. Computed specifiers are not imports anyone can follow, so they are skipped.
 * `jsx`: the text may hold JSX, where `</p>` closes a tag rather than starting a regular expression
 * that would swallow the rest of the line (`<b>x</b>{require("./a.png")}`). `typescript`: the text
 * is TypeScript, where `typeof import("./a")` and `import("./a").Name` are types, erased at
 * compile time like `import type` (`.then`, `.catch` and `.finally` are taken as values).
 */
export function scanJsImports(text: string, { jsx = false, typescript = false } = {}): ImportRecord[] {
  // Most files of a large tree import nothing a regex could miss; skip them without lexing.
  if (!/\b(?:import|export|require)\b/.test(text)) return [];
  const lexer = new JsLexer(text, jsx, jsx);
  const found: Found[] = [];
  let afterDot = false;
  let afterTypeof = false;
  while (lexer.next() !== Tok.End) {
    if (lexer.type === Tok.Ident && !afterDot) {
      const clause = lexer.is("import")
        ? importClause
        : lexer.is("export")
          ? exportClause
          : lexer.is("require")
            ? requireCall
            : null;
      if (clause) {
        const after = lexer.save();
        const record = clause(lexer);
        if (record) {
          if (typescript && record.kind === "dynamic" && (afterTypeof || namesAType(lexer)))
            record.typeOnly = true;
          found.push(record);
        } else lexer.restore(after);
        afterDot = false;
        afterTypeof = false;
        continue;
      }
    }
    afterDot = lexer.isPunct(DOT);
    afterTypeof = lexer.is("typeof");
  }
  const lines = linesOf(
    text,
    found.map((f) => f.offset),
  );
  return found.map((f, i) => ({
    specifier: f.specifier,
    kind: f.kind,
    typeOnly: f.typeOnly,
    line: lines[i]!,
  }));
}

/** Members of the promise `import()` returns: reading one is a value; any other name is a type. */
const PROMISE_MEMBERS = new Set(["then", "catch", "finally"]);

/** Whether `import("./a")`, just read, is followed by `.Name` naming a type; the lexer stays put. */
function namesAType(lexer: JsLexer): boolean {
  const at = lexer.save();
  let type = false;
  if (lexer.next() === Tok.Punct && lexer.isPunct(DOT) && lexer.next() === Tok.Ident)
    type = !PROMISE_MEMBERS.has(lexer.value());
  lexer.restore(at);
  return type;
}

function requireCall(lexer: JsLexer): Found | null {
  return call(lexer, "require");
}

/** `(` literal `)` after `import` or `require`; null (nothing consumed, for the caller) otherwise. */
function call(lexer: JsLexer, kind: "dynamic" | "require"): Found | null {
  if (kind === "require") {
    lexer.next();
    if (!lexer.isPunct(OPEN_PAREN)) return null;
  }
  const type = lexer.next();
  if (type !== Tok.String && type !== Tok.Template) return null;
  const specifier = lexer.value();
  const offset = lexer.start;
  lexer.next();
  // import() takes options after a comma; require() takes one argument.
  if (!(lexer.isPunct(CLOSE_PAREN) || (kind === "dynamic" && lexer.isPunct(COMMA)))) return null;
  return { specifier, kind, typeOnly: false, offset };
}

function importClause(lexer: JsLexer): Found | null {
  lexer.next();
  if (lexer.isPunct(OPEN_PAREN)) return call(lexer, "dynamic");
  if (lexer.type === Tok.String)
    return { specifier: lexer.value(), kind: "static", typeOnly: false, offset: lexer.start };
  if (lexer.type !== Tok.Ident && !lexer.isPunct(OPEN_BRACE) && !lexer.isPunct(STAR)) return null;
  let typeOnly = false;
  if (lexer.is("type")) {
    const at = lexer.save();
    lexer.next();
    // `import type from "x"` and `import type, {a}` import a default binding named `type`.
    if (lexer.is("from") || lexer.isPunct(COMMA) || lexer.isPunct(EQUALS)) lexer.restore(at);
    else typeOnly = true;
  }
  return bindings(lexer, "static", typeOnly);
}

function exportClause(lexer: JsLexer): Found | null {
  lexer.next();
  let typeOnly = false;
  if (lexer.is("type")) {
    typeOnly = true;
    lexer.next();
  }
  if (!lexer.isPunct(OPEN_BRACE) && !lexer.isPunct(STAR)) return null;
  return bindings(lexer, "reexport", typeOnly);
}

/**
 * From the first token of an import's or export's bindings to its `from "x"` (or, for imports,
 * `= require("x")`). A named list whose every name is marked `type` is type-only, as TypeScript
 * erases it.
 */
function bindings(lexer: JsLexer, kind: "static" | "reexport", typeOnly: boolean): Found | null {
  let other = false;
  let named = 0;
  let typedNames = 0;
  let inBraces = false;
  let nameStart = true;
  const start = lexer.start;
  for (let i = 0; i < MAX_CLAUSE_TOKENS && lexer.start - start < MAX_CLAUSE_CHARS; i++, lexer.next()) {
    if (lexer.type === Tok.End || lexer.isPunct(SEMICOLON)) return null;
    if (inBraces) {
      if (lexer.isPunct(CLOSE_BRACE)) inBraces = false;
      else if (lexer.isPunct(COMMA)) nameStart = true;
      // Braces of bindings hold names, quoted names, `as` and commas only.
      else if (lexer.type !== Tok.Ident && lexer.type !== Tok.String) return null;
      else if (nameStart) {
        nameStart = false;
        named++;
        if (lexer.is("type")) {
          const at = lexer.save();
          lexer.next();
          // `{ type }` and `{ type as t }` import a value named `type`.
          const marks = lexer.type === Tok.Ident && !lexer.is("as");
          if (marks) typedNames++;
          lexer.restore(at);
        }
      }
      continue;
    }
    if (lexer.isPunct(OPEN_BRACE)) {
      inBraces = true;
      nameStart = true;
      continue;
    }
    if (lexer.is("from")) {
      const at = lexer.save();
      if (lexer.next() === Tok.String) {
        const erased = typeOnly || (!other && named > 0 && typedNames === named);
        return { specifier: lexer.value(), kind, typeOnly: erased, offset: lexer.start };
      }
      lexer.restore(at);
    }
    if (kind === "static" && lexer.isPunct(EQUALS)) {
      lexer.next();
      if (!lexer.is("require")) return null;
      const found = call(lexer, "require");
      // Compiled to a require(), and resolved as one (CommonJS conditions).
      return found && { ...found, kind: "require", typeOnly };
    }
    // A default binding or a namespace keeps a value import even beside typed names.
    if (lexer.type === Tok.Ident || lexer.isPunct(STAR)) other = true;
    else if (!lexer.isPunct(COMMA)) return null;
  }
  return null;
}

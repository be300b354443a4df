import { JsLexer, Tok } from "../deps/js-lexer.js";
import { holdShape } from "../hold-shape.js";
import type { LanguageId } from "./languages.js";

/*
 * Most of a JavaScript or TypeScript file is function bodies, and most bodies define nothing the
 * symbol queries capture: local variables are not symbols. Parsing them is most of the cost of
 * indexing. This pass finds, with the import scanner's tokenizer, the braces, argument lists and
 * array literals whose contents cannot hold a symbol, so the parser can be given the file without
 * them (shortened-text.ts): it sees `function f() {}`, and every symbol it reports is mapped back
 * to its real position and extent.
 *
 * It errs one way only. A block is skipped when nothing in it could start a captured definition:
 * no named `function` in statement position, no `class`, no TypeScript declaration keyword
 * (`interface`, `enum`, `type X`, `namespace`, `module`, `declare`, `global`), no method shape
 * (`name(...) {`, and in TypeScript `name(...):`), and no member assigned a function
 * (`x.y = function`, `x.y = async`, `x.y = (...) =>`, `x.y = a =>`). Bodies of classes,
 * interfaces, enums, namespaces and type literals are never skipped, nor is a block holding text
 * the tokenizer may have misread (a string that runs to its line's end, as an apostrophe in JSX
 * text does). Braces that do not balance skip nothing, and the caller parses the whole file if
 * the shortened one does not parse cleanly. So the symbols are those of a whole parse, with one
 * difference: a syntax error inside a skipped body no longer disturbs the symbols around it.
 *
 * Blocks kept because they hold a symbol, and the top level, lose their runs of plain statements
 * too: consecutive statements, each ending in `;`, that hold none (imports, calls, locals; at the
 * top level a `const` or an `export` is a symbol). A run never separates a statement from the
 * one continuing it (`else`, `catch`, `finally`, a `do`'s `while`), never touches a `switch`'s
 * cases, and never takes in part of a JSX element, whose text may hold a `;`.
 *
 * Comments on lines of their own are left out as well (see `plainComments` for when text the
 * tokenizer took for a comment is kept anyway).
 */

const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const STAR = 42;
const COMMA = 44;
const DOT = 46;
const SLASH = 47;
const LINE_FEED = 10;
const COLON = 58;
const SEMICOLON = 59;
const LESS = 60;
const EQUALS = 61;
const GREATER = 62;
const QUESTION = 63;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Contents shorter than this are parsed: leaving them out would save less than it costs. */
const MIN_SKIP = 8;

/**
 * Keywords before `(` that make a statement or an operator, not a method name or a call: `if (x) {`
 * is no method, and `if ()` does not parse.
 */
const NOT_A_NAME = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "with",
  "function",
  "return",
  "typeof",
  "await",
  "yield",
  "new",
  "void",
  "delete",
  "in",
  "of",
  "instanceof",
  "case",
  "do",
  "else",
  "throw",
  "super",
  "import",
  "require", // `import x = require("x")` needs its string
  // TypeScript operators before a parenthesized type: `readonly (A | B)[]`
  "readonly",
  "keyof",
  "infer",
  "unique",
  "extends",
  "implements",
  "as",
  "satisfies",
  "is",
  "asserts",
]);

/** Statements whose parentheses a block follows: `if (x) {` is no method, `{ delete(id) {} }` is. */
const STATEMENT_PARENS = new Set(["if", "for", "while", "switch", "with", "function"]);

/** Keywords after which `function` starts an expression (not a declaration, so not a symbol). */
const EXPRESSION_BEFORE = new Set([
  "return",
  "yield",
  "await",
  "new",
  "typeof",
  "void",
  "delete",
  "throw",
  "case",
  "in",
  "of",
  "instanceof",
]);

/** TypeScript keywords that begin a declaration when a name (or a quote, or `{`) follows. */
const DECLARATION_WORDS = new Set(["interface", "enum", "type", "namespace", "module", "declare", "global"]);

/** Punctuators after which `function` starts an expression. */
function expressionPunct(c: number): boolean {
  return (
    c === OPEN_PAREN ||
    c === COMMA ||
    c === QUESTION ||
    c === OPEN_BRACKET ||
    c === 33 /* ! */ ||
    c === 124 /* | */ ||
    c === 38 /* & */ ||
    c === 43 /* + */ ||
    c === 45 /* - */ ||
    c === LESS ||
    c === GREATER ||
    c === 126 /* ~ */ ||
    c === 94 /* ^ */
  );
}

/** Where a member assignment's value is, token by token. */
enum Rhs {
  None,
  /** Just after `x.y =`. */
  Start,
  /** After a single name: `x.y = a =>`? */
  AfterName,
  /** Inside parentheses that may be an arrow's parameters. */
  InParens,
  /** Just after them: `=>` (or `:`) makes an arrow. */
  AfterParens,
}

class Block {
  /** Something in the block (or a block inside it) may be a symbol. */
  has = false;
  /** The statement being read (since the last `;` here) may hold a symbol. */
  unitHas = false;
  /** Where that statement started. */
  unitStart: number;
  /** Its first word, if it is one that continues the statement before (`else`). */
  unitSticky = false;
  /** Where the run of symbol-free statements before it started, or -1. */
  runStart = -1;
  /**
   * Declarations whose body has not opened yet (`class A extends class {} {` has two): while
   * any is, a `{` opened here belongs to a declaration.
   */
  pending = 0;
  /** `<` depth since that keyword, so `class A<T extends {}> {` finds the right body. */
  angle = 0;
  /**
   * Braces that can only be an object literal (after `=`, `(`, `,`, `[`, `?`, or `return` on the
   * same line): no statement is in them, so `{ if(x) {} }` is a method named `if`.
   */
  literal = false;
  constructor(
    /** The closing character: `}`, `)` or `]`. */
    readonly close: number,
    /** Offset just after the opening character. */
    readonly content: number,
    /**
     * Whether the parser accepts the block empty: a statement block or object literal, a call's
     * arguments or a function's parameters (`f()`, not `if ()`), an array literal (`[]`, not `a[]`).
     */
    readonly skippable: boolean,
    /** The body of a class, interface, enum, namespace or type literal: it holds symbols. */
    readonly structural: boolean,
    /** A `(` with a name before it: `name(...) {` is a method. */
    readonly named: boolean,
    /** A declaration's body, opened after its head (a name, `>`, `)`): closing it ends the declaration. */
    readonly body: boolean,
    /** Statements here may be left out in runs (a body or the top level; not a `switch`'s). */
    readonly runs: boolean,
  ) {
    this.unitStart = content;
  }

  static brace(content: number, structural: boolean, body: boolean, runs: boolean): Block {
    return new Block(CLOSE_BRACE, content, !structural, structural, false, body, runs);
  }

  static paren(content: number, skippable: boolean, named: boolean): Block {
    return new Block(CLOSE_PAREN, content, skippable, false, named, false, false);
  }

  static bracket(content: number, literal: boolean): Block {
    return new Block(CLOSE_BRACKET, content, literal, false, false, false, false);
  }

  mark(): void {
    this.has = true;
    this.unitHas = true;
  }
}

// Blocks live for one file; their hidden class outlives them all (hold-shape.ts).
holdShape("symbol-free-block", Block.brace(0, false, false, false));

/** Words that continue the statement before a `;` (`if (a) b; else c;`): never cut apart. */
const STICKY = new Set(["else", "catch", "finally", "while"]);
/** Words that make a top-level statement a symbol (a module's variables, its exports). */
const TOP_LEVEL_DECLARATIONS = new Set(["const", "let", "var", "export", "declare", "using"]);

/**
 * The ranges `[start, end)` of `text` that hold no symbol (block contents, statement runs, own-line
 * comments), as a flat list of offsets (UTF-16 code units) in order, or `undefined` when the file
 * should be parsed whole.
 */
export function symbolFreeBlocks(text: string, language: LanguageId): number[] | undefined {
  const typescript = language !== "javascript";
  const jsx = language !== "typescript";
  const lexer = new JsLexer(text, jsx);
  // The whole text: never skipped, statement runs allowed. Built here, not by a factory called
  // once per file: V8 optimizes this pass before such a factory has any feedback, and met the
  // construction without it at the next file, throwing the optimized pass away.
  const blocks: Block[] = [new Block(0, 0, false, true, false, false, true)];
  let block = blocks[0] as Block;
  const skipped: number[] = [];
  // The two previous tokens: type and first character (and, for short identifiers, their text).
  let prevType = Tok.End;
  let prevChar = 0;
  let prevWord = "";
  let prev2Type = Tok.End;
  let prev2Char = 0;
  let prev2Word = "";
  let prevEnd = 0;
  let prev2End = 0;
  /** The next token is the first of a statement (just after a `;`). */
  let unitFirst = true;
  /** For each open `(`, the word before it; and that of the last one closed (`switch (x) {`). */
  const parenWords: string[] = [];
  let lastParenWord = "";
  /** Records the run of symbol-free statements of `owner` that ends at `end`, if long enough. */
  const closeRun = (owner: Block, end: number) => {
    // A run never ends just before a statement that continues it (`if (a) b;` | `else { ... }`).
    if (owner.runStart !== -1 && !owner.unitSticky && end - owner.runStart >= MIN_SKIP)
      skipped.push(owner.runStart, end);
    owner.runStart = -1;
  };
  /** The previous token was a `)` that closed a name's parentheses. */
  let afterNamedParen = false;
  // After `x.y =`: is the value a function (`function`, `async`, `(...) =>`, `a =>`)? Then the
  // assignment is a symbol of the block it is in.
  let rhs = Rhs.None;
  let rhsDepth = 0;
  let rhsBlock = block;

  for (let type = lexer.next(); type !== Tok.End; type = lexer.next()) {
    const start = lexer.start;
    // Comments on lines of their own say nothing the parser needs (doc comments are most of a
    // declaration file's text): left out; the line breaks around them stay, for the statements.
    const comments = lexer.commentStart;
    if (
      comments !== -1 &&
      lexer.commentEnd - comments >= MIN_SKIP &&
      ownLines(text, comments, lexer.commentEnd) &&
      plainComments(text, comments, lexer.commentEnd, jsx)
    )
      skipped.push(comments, lexer.commentEnd);
    const c = text.charCodeAt(start);
    const punct = type === Tok.Punct;
    let word = "";
    let namedParen = false;
    // Text the tokenizer may have misread hides what is in it: keep the block whole, so the parser
    // sees it. A string that ends at its line's end (an apostrophe in JSX text), or a comment
    // right after a word or `:` (`src/*.ts`, `http://` in JSX text).
    if (type === Tok.String && text.charCodeAt(lexer.end) !== text.charCodeAt(start - 1)) block.mark();
    // A regular expression holding `;` is more likely a division misread (`i++ / 2; const x = a /`).
    if (type === Tok.Value && c === SLASH && holds(text, start, lexer.end, SEMICOLON)) block.mark();
    if (comments === prevEnd && (prevType === Tok.Ident || prevChar === COLON)) block.mark();
    if (rhs !== Rhs.None) {
      if (rhs === Rhs.Start) {
        if (type === Tok.Ident) {
          const w = text.slice(start, lexer.end);
          if (w === "function" || w === "async" || w === "class") {
            rhsBlock.mark();
            rhs = Rhs.None;
          } else rhs = Rhs.AfterName;
        } else if (punct && c === OPEN_PAREN) {
          rhs = Rhs.InParens;
          rhsDepth = blocks.length + 1;
        } else {
          if (punct && c === LESS && typescript) rhsBlock.mark(); // `<T>(x: T) =>`
          rhs = Rhs.None;
        }
      } else if (rhs === Rhs.AfterName || rhs === Rhs.AfterParens) {
        const arrow = punct && c === EQUALS && text.charCodeAt(lexer.end) === GREATER;
        // In TypeScript, `(x): T =>` annotates the arrow's result.
        if (arrow || (rhs === Rhs.AfterParens && typescript && punct && c === COLON)) rhsBlock.mark();
        rhs = Rhs.None;
      } else if (punct && c === CLOSE_PAREN && blocks.length === rhsDepth) {
        rhs = Rhs.AfterParens;
      }
    }
    if (type === Tok.Ident) {
      word = lexer.end - start <= 10 ? text.slice(start, lexer.end) : "";
      if (unitFirst && block.runs && STICKY.has(word)) block.unitSticky = true;
      if (blocks.length === 1 && TOP_LEVEL_DECLARATIONS.has(word)) block.unitHas = true;
      if (word === "function") {
        // A named declaration is a symbol; a callback is not, nor is a function without a name
        // (a member assigned one is found above). After a line break a statement may have ended
        // (`i++`, `x!`, `<div />`, `return`), so only the same line can make it an expression.
        let beforeType = prevType;
        let beforeChar = prevChar;
        let beforeWord = prevWord;
        let beforeEnd = prevEnd;
        if (prevType === Tok.Ident && prevWord === "async") {
          beforeType = prev2Type;
          beforeChar = prev2Char;
          beforeWord = prev2Word;
          beforeEnd = prev2End;
        }
        const lineBreak = holds(text, beforeEnd, start, LINE_FEED);
        const expression =
          !lineBreak &&
          (beforeType === Tok.Punct
            ? expressionPunct(beforeChar) || beforeChar === EQUALS
            : beforeType === Tok.Ident && EXPRESSION_BEFORE.has(beforeWord));
        if (!expression && named(text, lexer.end)) block.mark();
      } else if (word === "class") {
        block.mark();
        block.pending++;
        block.angle = 0;
      } else if (typescript && DECLARATION_WORDS.has(word) && declarationFollows(text, lexer.end)) {
        block.mark();
        block.pending++;
        block.angle = 0;
      }
    } else if (punct) {
      if (c === OPEN_BRACE) {
        if (afterNamedParen) block.mark(); // `name(...) {`: a method
        const body =
          block.pending > 0 &&
          (block.angle === 0 || !typescript) &&
          (prevType === Tok.Ident ||
            prevType === Tok.String ||
            prevChar === GREATER ||
            prevChar === CLOSE_PAREN);
        const structural = block.pending > 0;
        const runs = !structural && !(prevChar === CLOSE_PAREN && lastParenWord === "switch");
        const literal =
          !structural &&
          (prevType === Tok.Punct
            ? prevChar === EQUALS ||
              prevChar === OPEN_PAREN ||
              prevChar === COMMA ||
              prevChar === OPEN_BRACKET ||
              prevChar === QUESTION
            : prevType === Tok.Ident && prevWord === "return" && !holds(text, prevEnd, start, LINE_FEED));
        block = Block.brace(lexer.end, structural, body, runs);
        block.literal = literal;
        blocks.push(block);
      } else if (c === OPEN_PAREN) {
        // Keywords name methods too (`{ delete(id) {} }`); `catch` after `}` is a statement. In an
        // object literal even a statement's keyword does, first in a member (`{ a, if(x) {} }`).
        const named =
          (block.literal &&
            prevType === Tok.Ident &&
            prev2Type === Tok.Punct &&
            (prev2Char === OPEN_BRACE || prev2Char === COMMA)) ||
          (prevType === Tok.Ident &&
            !STATEMENT_PARENS.has(prevWord) &&
            !(prevWord === "catch" && prev2Char === CLOSE_BRACE) &&
            !(prev2Type === Tok.Ident && prev2Word === "function")) ||
          prevType === Tok.String ||
          prevType === Tok.Value ||
          (prevType === Tok.Punct && (prevChar === CLOSE_BRACKET || prevChar === GREATER));
        // `f<T>(...)`, `f /re/ (...)` and `(a > (b))` look alike: only a name or `]` may go empty.
        const empties =
          (prevType === Tok.Ident && !NOT_A_NAME.has(prevWord)) ||
          prevType === Tok.String ||
          (prevType === Tok.Punct && prevChar === CLOSE_BRACKET);
        block = Block.paren(lexer.end, empties, named);
        parenWords.push(prevType === Tok.Ident ? prevWord : "");
        blocks.push(block);
      } else if (c === OPEN_BRACKET) {
        // An array literal (after `=`, `(`, `,`, `:` or `return`), not a subscript or a computed name.
        const literal =
          prevType === Tok.Punct
            ? prevChar === EQUALS || prevChar === OPEN_PAREN || prevChar === COMMA || prevChar === COLON
            : prevType === Tok.Ident && prevWord === "return";
        block = Block.bracket(lexer.end, literal);
        blocks.push(block);
      } else if (c === CLOSE_BRACE || c === CLOSE_PAREN || c === CLOSE_BRACKET) {
        const closed = block;
        if (closed.close !== c) return undefined; // mismatched brackets: parse it all
        blocks.pop();
        const parent = blocks[blocks.length - 1] as Block;
        if (c === CLOSE_PAREN) lastParenWord = parenWords.pop() ?? "";
        if (closed.runs && closed.has) closeRun(closed, closed.unitStart);
        if (closed.has || closed.structural) parent.mark();
        else if (
          closed.skippable &&
          start - closed.content >= MIN_SKIP &&
          // `[a]:` and `[a](` after `,` are computed names, not array literals
          !(c === CLOSE_BRACKET && computedName(text, lexer.end))
        ) {
          skipped.push(closed.content, start);
        }
        if (closed.body && parent.pending > 0) parent.pending--; // that declaration is over
        namedParen = closed.named;
        block = parent;
      } else if (c === EQUALS) {
        const next = text.charCodeAt(lexer.end);
        if (
          next !== EQUALS &&
          next !== GREATER &&
          prevType === Tok.Ident &&
          prev2Type === Tok.Punct &&
          prev2Char === DOT &&
          // `x.f = (a = x.b = 1) =>`: a default value; deeper (in a body there) is a new statement
          !(rhs === Rhs.InParens && blocks.length === rhsDepth)
        ) {
          rhs = Rhs.Start;
          rhsBlock = block;
        }
      } else if (c === COLON) {
        if (afterNamedParen && typescript) block.mark(); // `name(...): Type {`
      } else if (c === SEMICOLON) {
        block.pending = 0;
        if (block.runs) {
          // A statement ends: it joins the run if it holds no symbol, else it ends the run (and
          // takes the statement before with it if it continues that one, as `else` does).
          // A run does not start at such a statement either (`do x();` | `while (y);`).
          if (!block.unitHas) {
            if (block.runStart === -1 && !block.unitSticky) block.runStart = block.unitStart;
          } else closeRun(block, block.unitStart);
          block.unitStart = lexer.end;
          block.unitHas = false;
          block.unitSticky = false;
          unitFirst = true;
        }
      } else if (c === LESS) {
        if (block.pending > 0) block.angle++;
        // JSX (`<p>`, `</p>`, `<>`): its text may hold `;` (`&apos;`), which is no statement's end,
        // so no run may take in part of it.
        if (jsx && jsxTagStart(text.charCodeAt(lexer.end))) block.unitHas = true;
      } else if (c === GREATER) {
        if (block.pending > 0 && block.angle > 0 && prevChar !== EQUALS) block.angle--;
      } else if (c === STAR && prevType === Tok.Ident && prevWord === "function") {
        // `function* name(`: keep `function` as the word before the name.
        continue;
      }
    }
    afterNamedParen = namedParen;
    if (!(punct && c === SEMICOLON)) unitFirst = false;
    prev2End = prevEnd;
    prevEnd = lexer.end;
    prev2Type = prevType;
    prev2Char = prevChar;
    prev2Word = prevWord;
    prevType = type;
    prevChar = c;
    prevWord = word;
  }
  if (blocks.length !== 1) return undefined;
  closeRun(block, block.unitStart);
  return outermost(skipped);
}

/** The pairs of `skipped` not inside another, in order (a skipped block holds skipped blocks). */
function outermost(skipped: number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < skipped.length; i += 2) order.push(i);
  order.sort(
    (a, b) =>
      (skipped[a] as number) - (skipped[b] as number) ||
      (skipped[b + 1] as number) - (skipped[a + 1] as number),
  );
  const kept: number[] = [];
  let end = -1;
  for (const i of order) {
    if ((skipped[i] as number) < end) continue;
    end = skipped[i + 1] as number;
    kept.push(skipped[i] as number, end);
  }
  return kept;
}

/**
 * Whether `[from, to)` (comments, and the space between them) has only spaces and tabs between it
 * and the line breaks before and after it: then the tokens around it stay apart, on other lines.
 */
function ownLines(text: string, from: number, to: number): boolean {
  let at = from;
  while (at > 0 && (text.charCodeAt(at - 1) === 32 || text.charCodeAt(at - 1) === 9)) at--;
  if (at > 0 && text.charCodeAt(at - 1) !== LINE_FEED) return false;
  return text.charCodeAt(pastBlanks(text, to)) === LINE_FEED;
}

/**
 * Whether `[from, to)`, which the tokenizer read as comments, looks like nothing else: each line
 * after the first is blank or starts (past spaces and tabs) with `*` or `/`, as a block comment's
 * lines and the next comment do, and nothing follows the end of a block comment on its line.
 * Text the tokenizer misread as a comment (in JSX text, after a regex taken for a division)
 * holds lines of code, which leaving out would lose symbols without a syntax error to say so;
 * and tree-sitter's JavaScript grammar stretches a class member over a block comment followed by
 * another comment on the same line. Where JSX may be, a comment holding `{` is kept too, unless
 * it is a doc comment (`/**`, where `{Type}` is common): in JSX text it may be an expression.
 */
function plainComments(text: string, from: number, to: number, jsx: boolean): boolean {
  const braces = jsx && !(text.charCodeAt(from + 1) === STAR && text.charCodeAt(from + 2) === STAR);
  for (let at = from; at < to; at++) {
    const c = text.charCodeAt(at);
    if (c === OPEN_BRACE && braces) return false;
    if (c === LINE_FEED) {
      const next = text.charCodeAt(pastBlanks(text, at + 1));
      if (next !== STAR && next !== SLASH && next !== LINE_FEED) return false;
    } else if (c === STAR && text.charCodeAt(at + 1) === SLASH && at + 2 < to) {
      if (text.charCodeAt(pastBlanks(text, at + 2)) !== LINE_FEED) return false;
    }
  }
  return true;
}

/** The offset of the first character at or after `at` that is not a space, a tab or a CR. */
function pastBlanks(text: string, at: number): number {
  let next = at;
  while (next < text.length) {
    const c = text.charCodeAt(next);
    if (c !== 32 && c !== 9 && c !== 13) break;
    next++;
  }
  return next;
}

/** Whether `text` has the character `code` in `[from, to)`: the short span between two tokens, or one token. */
function holds(text: string, from: number, to: number, code: number): boolean {
  for (let at = from; at < to; at++) if (text.charCodeAt(at) === code) return true;
  return false;
}

/** Whether the character after a `<` makes it a JSX tag: a name, `/` or `>`. */
function jsxTagStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === SLASH || c === GREATER;
}

/** Whether a `function` keyword ending at `end` is followed by a name (`function* name`). */
function named(text: string, end: number): boolean {
  let at = end;
  let c = text.charCodeAt(at);
  while (c === 32 || (c >= 9 && c <= 13) || c === STAR) c = text.charCodeAt(++at);
  return at < text.length && c !== OPEN_PAREN;
}

/** Whether the next character after a `]` at `end - 1` is `:` or `(`. */
function computedName(text: string, end: number): boolean {
  let at = end;
  let c = text.charCodeAt(at);
  while (c === 32 || (c >= 9 && c <= 13)) c = text.charCodeAt(++at);
  return c === COLON || c === OPEN_PAREN;
}

/**
 * Whether a declaration keyword at `end` is followed (past spaces, line breaks and comments) by a
 * name, a quoted module name or `{`.
 */
function declarationFollows(text: string, end: number): boolean {
  let at = end;
  let c = text.charCodeAt(at);
  for (;;) {
    if (c === 32 || (c >= 9 && c <= 13)) c = text.charCodeAt(++at);
    else if (c === SLASH && text.charCodeAt(at + 1) === SLASH) {
      at = text.indexOf("\n", at);
      if (at === -1) return false;
      c = text.charCodeAt(at);
    } else if (c === SLASH && text.charCodeAt(at + 1) === STAR) {
      at = text.indexOf("*/", at + 2);
      if (at === -1) return false;
      at += 2;
      c = text.charCodeAt(at);
    } else break;
  }
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    c === 36 ||
    c === 95 ||
    c === 34 ||
    c === 39 ||
    c === OPEN_BRACE ||
    c >= 128
  );
}

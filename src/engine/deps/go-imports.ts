import { type ImportRecord, linesOf } from "./import-record.js";

/**
 * The imports of a Go source file: single imports and import blocks, named, dot and blank imports
 * alike. Go allows imports only between the package clause and the first other declaration, so the
 * scan stops there.
 */
export function scanGoImports(text: string): ImportRecord[] {
  const lexer = new GoLexer(text);
  const found: { specifier: string; offset: number }[] = [];
  for (let token = lexer.next(); token !== null; token = lexer.next()) {
    if (token === "package") {
      lexer.next();
      continue;
    }
    if (token === ";") continue;
    if (token !== "import") break;
    const opened = lexer.next();
    if (opened === "(") {
      for (
        let entry = lexer.next();
        entry !== null && (entry !== ")" || lexer.string !== null);
        entry = lexer.next()
      ) {
        if (lexer.string !== null) found.push({ specifier: lexer.string, offset: lexer.start });
      }
    } else {
      // An optional name (`.`, `_`, an alias) before the path.
      if (lexer.string === null) lexer.next();
      if (lexer.string !== null) found.push({ specifier: lexer.string, offset: lexer.start });
    }
  }
  const lines = linesOf(
    text,
    found.map((f) => f.offset),
  );
  return found.map((f, i) => ({ specifier: f.specifier, kind: "go", typeOnly: false, line: lines[i]! }));
}

/** Just enough of Go's tokens to read the import section: names, strings, single punctuators. */
class GoLexer {
  private pos = 0;
  /** The current token's string value when it is a string literal. */
  string: string | null = null;
  start = 0;

  constructor(private readonly text: string) {
    // A byte-order mark, which Go allows at the start of a file, is not a token.
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  next(): string | null {
    const text = this.text;
    this.string = null;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else if (c === 47 && text.charCodeAt(this.pos + 1) === 47) {
        const eol = text.indexOf("\n", this.pos);
        this.pos = eol === -1 ? text.length : eol;
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 42) {
        const close = text.indexOf("*/", this.pos + 2);
        this.pos = close === -1 ? text.length : close + 2;
      } else break;
    }
    if (this.pos >= text.length) return null;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === 34 || c === 96) {
      let end = start + 1;
      while (end < text.length && text.charCodeAt(end) !== c && text.charCodeAt(end) !== 10) {
        end += c === 34 && text.charCodeAt(end) === 92 ? 2 : 1;
      }
      this.pos = end + 1;
      this.start = start + 1;
      this.string = text.slice(start + 1, end);
      return this.string;
    }
    let end = start + 1;
    if (/[\w\u0080-\uffff]/.test(text[start]!)) {
      while (end < text.length && /[\w\u0080-\uffff]/.test(text[end]!)) end++;
    }
    this.pos = end;
    this.start = start;
    return text.slice(start, end);
  }
}

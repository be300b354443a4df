import { holdShape } from "../hold-shape.js";

/** Token kinds the import scanner needs; everything else is `Punct` (one character) or `Value`. */
export enum Tok {
  End,
  Ident,
  /** A quoted string; `start`/`end` exclude the quotes. */
  String,
  /** A template literal without substitutions; `start`/`end` exclude the backticks. */
  Template,
  /** A template part with substitutions, a number, a regex: something that is not a specifier. */
  Value,
  Punct,
}

/** Keywords after which a `/` starts a regular expression rather than a division, by length. */
const REGEX_AFTER: readonly (readonly string[])[] = [
  [],
  [],
  ["in", "of", "do"],
  ["new"],
  ["void", "case", "else"],
  ["throw", "yield", "await"],
  ["return", "typeof", "delete"],
  [],
  [],
  [],
  ["instanceof"],
];

/**
 * For each length, the first letters of those keywords as bits (`a` is bit 0): most words are
 * ruled out by one test, before any comparison of text (a `startsWith` call costs more than the
 * rest of reading a short word).
 */
const REGEX_AFTER_FIRST = REGEX_AFTER.map((words) =>
  words.reduce((bits, word) => bits | (1 << (word.charCodeAt(0) - 97)), 0),
);

/** Whether the word at `[start, end)` is one of those keywords (compared in place: no slice). */
function regexAfter(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start) - 97;
  const length = end - start;
  if (length >= REGEX_AFTER.length || first < 0 || first > 25) return false;
  if (((REGEX_AFTER_FIRST[length] as number) & (1 << first)) === 0) return false;
  for (const word of REGEX_AFTER[length] as readonly string[]) if (text.startsWith(word, start)) return true;
  return false;
}

export interface LexerState {
  pos: number;
  type: Tok;
  start: number;
  end: number;
  regexAllowed: boolean;
  open: Open | null;
  braces: number;
}

/**
 * A `${` of a template or a `{` of code in a JSX element, still open: the brace depth its `}` is
 * seen at, and for JSX the element's state to go on with there. Never changed once made, and
 * linked to the one around it, so saving the lexer's state copies nothing, however deep.
 */
interface Open {
  braces: number;
  /** Null for a template's `${`. */
  jsx: JsxState | null;
  outer: Open | null;
}

/** A JSX element being read: where it starts, its open elements, and whether a tag is being read. */
interface JsxState {
  start: number;
  /** Elements opened and not yet closed. */
  depth: number;
  inTag: boolean;
  /** The tag being read closes an element (`</p>`). */
  closing: boolean;
}

/**
 * A JavaScript/TypeScript tokenizer just exact enough to find imports: it skips comments, strings,
 * template literals (with nested `${}`), and regular expressions, so text that only looks like an
 * import is never taken for one. It allocates nothing per token: the current token is the fields
 * `type`, `start` and `end`.
 *
 * Regex-or-division is decided by the previous token, the classic heuristic; JSX text is lexed as
 * code, so strings and regexes end at a line break to keep a stray quote in JSX text from
 * swallowing the rest of the file.
 */
export class JsLexer {
  pos = 0;
  type: Tok = Tok.End;
  start = 0;
  end = 0;
  /**
   * The comments between the previous token and this one: where the first starts and the last
   * ends (after its closing star and slash, or before its line break); -1 when there are none.
   * Not part of the state `save` and `restore` carry.
   */
  commentStart = -1;
  commentEnd = -1;
  private regexAllowed = true;
  /** The innermost open `${` or JSX `{` (with `jsxText` only); null when none is. */
  private open: Open | null = null;
  private braces = 0;
  /** Where the line of the last regular expression found unclosed ends, and how many were there. */
  private failedLineEnd = -1;
  private failedOnLine = 0;

  /**
   * @param jsx the text may hold JSX (JavaScript, TSX): a `/` right after `<` closes a tag
   *   (`</p>`), it does not start a regular expression.
   * @param jsxText read JSX elements as JSX: their text and attribute strings are one value token
   *   (a backtick, `/*` or quote in `<p>…</p>` starts nothing), and the code in their `{…}` is
   *   read as code. Without it, JSX text is read as code whose strings end at a line break.
   */
  constructor(
    readonly text: string,
    private readonly jsx = false,
    private readonly jsxText = false,
  ) {
    if (text.startsWith("#!")) {
      const eol = text.indexOf("\n");
      this.pos = eol === -1 ? text.length : eol;
    }
  }

  /** The current token's text. */
  value(): string {
    return this.text.slice(this.start, this.end);
  }

  /** Whether the current token is the identifier `word`, compared without slicing. */
  is(word: string): boolean {
    return (
      this.type === Tok.Ident &&
      this.end - this.start === word.length &&
      this.text.startsWith(word, this.start)
    );
  }

  /** Whether the current token is the punctuator `char`. */
  isPunct(char: number): boolean {
    return (
      this.type === Tok.Punct && this.text.charCodeAt(this.start) === char && this.end - this.start === 1
    );
  }

  save(): LexerState {
    const { pos, type, start, end, regexAllowed, braces } = this;
    return { pos, type, start, end, regexAllowed, braces, open: this.open };
  }

  restore(state: LexerState): void {
    ({
      pos: this.pos,
      type: this.type,
      start: this.start,
      end: this.end,
      regexAllowed: this.regexAllowed,
      braces: this.braces,
      open: this.open,
    } = state);
  }

  next(): Tok {
    const text = this.text;
    const length = text.length;
    let pos = this.pos;
    this.commentStart = -1;
    this.commentEnd = -1;
    for (;;) {
      if (pos >= length) {
        return this.emit(Tok.End, pos, pos, false);
      }
      const c = text.charCodeAt(pos);
      // whitespace and line terminators
      if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
        pos++;
        continue;
      }
      if (c === 47 /* / */) {
        const d = text.charCodeAt(pos + 1);
        if (d === 47) {
          // To the line's end: any line terminator (a lone CR, U+2028 and U+2029 too).
          let eol = pos + 2;
          while (eol < length) {
            const e = text.charCodeAt(eol);
            if (e === 10 || e === 13 || e === 0x2028 || e === 0x2029) break;
            eol++;
          }
          this.comment(pos, eol);
          pos = eol;
          continue;
        }
        if (d === 42) {
          const close = text.indexOf("*/", pos + 2);
          this.comment(pos, close === -1 ? length : close + 2);
          pos = close === -1 ? length : close + 2;
          continue;
        }
        if (this.regexAllowed && !(pos < this.failedLineEnd && this.failedOnLine >= MAX_FAILED_REGEXES)) {
          const close = skipRegex(text, pos + 1);
          if (close >= 0) return this.emit(Tok.Value, pos, close, false);
          // Unclosed before the line's end (`-close - 1`): a division, or broken text.
          const lineEnd = -close - 1;
          this.failedOnLine = lineEnd === this.failedLineEnd ? this.failedOnLine + 1 : 1;
          this.failedLineEnd = lineEnd;
        }
        return this.emit(Tok.Punct, pos, pos + 1, true);
      }
      if (c === 34 || c === 39) {
        const close = skipString(text, pos + 1, c);
        return this.emit(Tok.String, pos + 1, close, false, close + 1);
      }
      if (c === 96 /* ` */) return this.template(pos + 1, true);
      if (isIdentStart(c)) {
        let end = pos + 1;
        while (end < length && isIdentPart(text.charCodeAt(end))) end++;
        this.emit(Tok.Ident, pos, end, false);
        // A keyword that takes an operand lets a regex follow; any other name is a value.
        this.regexAllowed = regexAfter(text, pos, end);
        return Tok.Ident;
      }
      if (c >= 48 && c <= 57) {
        let end = pos + 1;
        while (end < length && (isIdentPart(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
        return this.emit(Tok.Value, pos, end, false);
      }
      if (c === 46 && text.charCodeAt(pos + 1) === 46 && text.charCodeAt(pos + 2) === 46) {
        return this.emit(Tok.Punct, pos, pos + 3, true);
      }
      if (c === 60 /* < */ && this.jsxText && this.regexAllowed && jsxElementAt(text, pos + 1)) {
        return this.jsxElement({ start: pos, depth: 0, inTag: true, closing: false }, pos + 1);
      }
      if (c === 123 /* { */) this.braces++;
      else if (c === 125 /* } */) {
        const open = this.open;
        if (open !== null && open.braces === this.braces) {
          // The innermost open `${` or JSX `{` closes here (a JSX `{` counts as a brace, so the
          // two are never at one depth with the JSX one inner).
          this.open = open.outer;
          if (open.jsx === null) return this.template(pos + 1, false);
          this.braces--;
          return this.jsxElement(open.jsx, pos + 1);
        }
        this.braces--;
      }
      // After a closing bracket or a postfix `++`/`--` a `/` divides (`i++ / 2`), as after
      // TypeScript's non-null `!` (`s! / 2`: a `!` right after a value), and in JSX one after `<`
      // closes a tag (`</p>`); after any other punctuator it starts a regex.
      const postfix =
        ((c === 43 || c === 45) && text.charCodeAt(pos - 1) === c) ||
        (c === 33 && !this.regexAllowed && text.charCodeAt(pos + 1) !== 61);
      const value = c === 41 || c === 93 || c === 125 || postfix || (c === 60 && this.jsx);
      return this.emit(Tok.Punct, pos, pos + 1, !value);
    }
  }

  /** Notes a comment from `start` to `end` among those before the next token. */
  private comment(start: number, end: number): void {
    if (this.commentStart === -1) this.commentStart = start;
    this.commentEnd = end;
  }

  private emit(type: Tok, start: number, end: number, regexAllowed: boolean, pos = end): Tok {
    this.type = type;
    this.start = start;
    this.end = end;
    this.pos = pos;
    this.regexAllowed = regexAllowed;
    return type;
  }

  /**
   * Reads a JSX element from `pos` on: tags with their attribute strings, and text, up to the `{`
   * of code inside it (returned as a punctuator, the element's state kept until its `}`) or the
   * element's end (returned as one value, from its `<`).
   */
  private jsxElement(state: JsxState, from: number): Tok {
    const text = this.text;
    const length = text.length;
    const start = state.start;
    let { depth, inTag, closing } = state;
    let pos = from;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 123 /* { */) {
        this.braces++;
        const jsx = { start, depth, inTag, closing };
        this.open = { braces: this.braces, jsx, outer: this.open };
        return this.emit(Tok.Punct, pos, pos + 1, true);
      }
      if (!inTag) {
        if (c === 60 /* < */) {
          inTag = true;
          closing = text.charCodeAt(pos + 1) === 47;
          pos += closing ? 2 : 1;
        } else pos++;
        continue;
      }
      if (c === 34 || c === 39) {
        const close = text.indexOf(c === 34 ? '"' : "'", pos + 1);
        pos = close === -1 ? length : close + 1;
      } else if (c === 47 /* / */ && text.charCodeAt(pos + 1) === 47) {
        // A comment between attributes (TypeScript and Babel allow them): to the line's end.
        const eol = text.indexOf("\n", pos);
        pos = eol === -1 ? length : eol;
      } else if (c === 47 && text.charCodeAt(pos + 1) === 42) {
        const close = text.indexOf("*/", pos + 2);
        pos = close === -1 ? length : close + 2;
      } else if (c === 47 && text.charCodeAt(pos + 1) === 62) {
        // A self-closing tag: nothing opened.
        inTag = false;
        pos += 2;
        if (depth === 0) return this.emit(Tok.Value, start, pos, false);
      } else if (c === 62 /* > */) {
        inTag = false;
        depth += closing ? -1 : 1;
        pos++;
        if (depth <= 0) return this.emit(Tok.Value, start, pos, false);
      } else pos++;
    }
    return this.emit(Tok.Value, start, length, false);
  }

  /** A template from just after its backtick (`head`) or after the `}` of a substitution. */
  private template(from: number, head: boolean): Tok {
    const text = this.text;
    let pos = from;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 92) pos += 2;
      else if (c === 96) return this.emit(head ? Tok.Template : Tok.Value, from, pos, false, pos + 1);
      else if (c === 36 && text.charCodeAt(pos + 1) === 123) {
        this.open = { braces: this.braces, jsx: null, outer: this.open };
        return this.emit(Tok.Value, from, pos, true, pos + 2);
      } else pos++;
    }
    return this.emit(Tok.Value, from, text.length, false);
  }
}

/** The offset of the closing quote, or of the line break that ends an unterminated string. */
function skipString(text: string, from: number, quote: number): number {
  let pos = from;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === quote || c === 10 || c === 13) return pos;
    // A backslash escapes the next character, or a CRLF line break as a whole.
    pos += c !== 92 ? 1 : text.charCodeAt(pos + 1) === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : 2;
  }
  return text.length;
}

/**
 * Regular expressions found unclosed on one line after which no other is tried there: each try
 * reads to the line's end, so a long line of `/[` took time quadratic in its length.
 */
const MAX_FAILED_REGEXES = 16;

/**
 * The offset after a regex's flags, or, when no closing `/` comes before the line ends, `-end - 1`
 * for the offset `end` of that line's end.
 */
function skipRegex(text: string, from: number): number {
  let pos = from;
  let inClass = false;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 10 || c === 13) return -pos - 1;
    if (c === 92) pos += 2;
    else {
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === 47 && !inClass) {
        pos++;
        while (pos < text.length && isIdentPart(text.charCodeAt(pos))) pos++;
        return pos;
      }
      pos++;
    }
  }
  return -text.length - 1;
}

/**
 * Whether a `<` in an expression's or a type's place, just before `at`, opens a JSX element: a
 * fragment (`<>`) or a tag name followed by what may follow one. TSX's type parameters are not
 * elements: `<T,>(x: T) => x`, `<T extends object>`, `<T = unknown>`, `<const T>`, and `<T>(…)`
 * followed by `=>` or `:` as generic function types and call signatures write it (`type F =
 * <T>(key: string) => T`, `new <T>() => T`, `{ <T>(x: T): T }`); `<p>(see notes)</p>` is one.
 */
function jsxElementAt(text: string, at: number): boolean {
  const first = text.charCodeAt(at);
  if (first === 62 /* > */) return true;
  if (!isIdentStart(first) || first === 92) return false;
  let pos = at + 1;
  while (isTagNamePart(text.charCodeAt(pos))) pos++;
  if (pos - at === 5 && text.startsWith("const", at)) return false;
  pos = pastSpaces(text, pos);
  const next = text.charCodeAt(pos);
  if (next === 44 /* , */ || next === 61 /* = */) return false;
  if (next === 62 /* > */ && typeParameters(text, pastSpaces(text, pos + 1))) return false;
  return !(text.startsWith("extends", pos) && !isIdentPart(text.charCodeAt(pos + 7)));
}

/** A character of a JSX tag name: a name's, or `.`, `:` and `-` (`<a.b>`, `<svg:rect>`, `<my-el>`). */
function isTagNamePart(c: number): boolean {
  return isIdentPart(c) || c === 46 || c === 58 || c === 45;
}

/** Parentheses read to find their end, at most: a parameter list is far shorter. */
const MAX_PARAMETERS_CHARS = 1_000;

/**
 * Whether `(` at `at` opens a parameter list followed by `=>` or `:` (a function type's or call
 * signature's), so the `<T>` before it is a type parameter list, not an element.
 */
function typeParameters(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 40 /* ( */) return false;
  const end = Math.min(text.length, at + MAX_PARAMETERS_CHARS);
  let depth = 0;
  for (let pos = at; pos < end; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) {
      const after = pastSpaces(text, pos + 1);
      const d = text.charCodeAt(after);
      return d === 58 /* : */ || (d === 61 /* = */ && text.charCodeAt(after + 1) === 62);
    }
  }
  return false;
}

/** The offset of the first character at or after `at` that is not a space, tab or line break. */
function pastSpaces(text: string, at: number): number {
  let pos = at;
  for (let c = text.charCodeAt(pos); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++pos));
  return pos;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || c === 92 || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

// The tokenizer's hidden class outlives every file a thread reads (hold-shape.ts).
holdShape("js-lexer", new JsLexer(""));

import { type ImportRecord, linesOf } from "./import-record.js";

const IMPORT = /^import\s+([\s\S]+)$/;
/** A module's dotted name, spaces allowed around its dots (`a . b`), read from `lastIndex`. */
const MODULE_NAME = /[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*/y;
/** `import` as a word, read from `lastIndex`. */
const IMPORT_WORD = /import\b/y;

/**
 * The imports of a Python module: `import a.b as c, d` and `from ..a import b, c` (relative levels
 * kept as leading dots), at any indentation, since imports inside functions and `if` blocks are
 * dependencies too, and after a compound statement's colon on its line (`try: import ujson`).
 * Strings (triple-quoted ones included) and comments are skipped, and bracketed or
 * backslash-continued statements are read whole.
 */
export function scanPythonImports(text: string): ImportRecord[] {
  if (!/\bimport\b/.test(text)) return [];
  const found: { specifier: string; names?: string[]; offset: number }[] = [];
  const statement = (start: number, end: number): void => {
    let at = start;
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    if (!(text.startsWith("import", at) || text.startsWith("from", at))) return;
    const source = text
      .slice(at, end)
      .replace(/#[^\n]*/g, "")
      .replace(/\\\r?\n/g, " ")
      .trim();
    const from = fromImport(source);
    if (from) {
      const names = from.names
        .replace(/[()]/g, "")
        .split(",")
        .map((part) => part.trim().split(/\s+/)[0] ?? "")
        .filter((name) => /^[A-Za-z_]\w*$/.test(name));
      found.push({ specifier: from.module, names, offset: at });
      return;
    }
    const plain = IMPORT.exec(source);
    if (!plain) return;
    for (const part of plain[1]!.split(",")) {
      MODULE_NAME.lastIndex = 0;
      const name = MODULE_NAME.exec(part.trim())?.[0];
      if (name) found.push({ specifier: name.replace(/\s+/g, ""), offset: at });
    }
  };

  let depth = 0;
  // A byte-order mark is not part of the first statement.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let pos = start;
  const length = text.length;
  while (pos < length) {
    const c = text.charCodeAt(pos);
    if (c === 34 || c === 39) pos = skipString(text, pos, c);
    else if (c === 35 /* # */) {
      const eol = text.indexOf("\n", pos);
      pos = eol === -1 ? length : eol;
    } else if (c === 92 /* \ */) pos = afterEscape(text, pos);
    else {
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      // Outside brackets a colon ends a compound statement's header (`except E: import m`); it
      // also ends a lambda's parameters or an annotation's name, which are not imports either.
      else if ((c === 10 || c === 59 || c === 58) /* \n ; : */ && depth === 0) {
        statement(start, pos);
        start = pos + 1;
      }
      pos++;
    }
  }
  statement(start, length);

  const lines = linesOf(
    text,
    found.map((f) => f.offset),
  );
  return found.map((f, i) => ({
    specifier: f.specifier,
    kind: "python",
    typeOnly: false,
    line: lines[i]!,
    ...(f.names ? { names: f.names } : {}),
  }));
}

/**
 * A `from … import …` statement's module (relative levels as leading dots) and the text of its
 * names; null for any other statement. Read step by step rather than by one regular expression:
 * with the relative levels, the module and the spaces between them all optional, one expression
 * tried every way of splitting a run of spaces, which took time quadratic in its length.
 * Spaces may stand between the parts, as Python's tokenizer allows (`from.pkg`, `from . pkg`,
 * `from a . b`).
 */
function fromImport(source: string): { module: string; names: string } | null {
  if (!source.startsWith("from")) return null;
  let at = 4;
  const first = source.charCodeAt(at);
  if (first !== 46 && !isBlank(first)) return null; // `fromage = …`
  let module = "";
  for (;;) {
    while (isBlank(source.charCodeAt(at))) at++;
    if (source.charCodeAt(at) !== 46) break;
    module += ".";
    at++;
  }
  // After the dots the module is optional: `from . import a` names none (`import` is no name).
  IMPORT_WORD.lastIndex = at;
  MODULE_NAME.lastIndex = at;
  const name = module !== "" && IMPORT_WORD.test(source) ? null : MODULE_NAME.exec(source);
  if (name) {
    module += name[0].replace(/\s+/g, "");
    at = MODULE_NAME.lastIndex;
  }
  const before = at;
  while (isBlank(source.charCodeAt(at))) at++;
  // `import` needs a space before it, unless it follows the dots (`from .import a`).
  if (module === "" || (at === before && !module.endsWith("."))) return null;
  IMPORT_WORD.lastIndex = at;
  if (!IMPORT_WORD.test(source)) return null;
  return { module, names: source.slice(IMPORT_WORD.lastIndex).trim() };
}

/** The offset after a string starting at `from` (its opening quote), triple-quoted or not. */
function skipString(text: string, from: number, quote: number): number {
  const triple = text.charCodeAt(from + 1) === quote && text.charCodeAt(from + 2) === quote;
  let pos = from + (triple ? 3 : 1);
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 92) pos = afterEscape(text, pos);
    else if (c === quote) {
      if (!triple) return pos + 1;
      if (text.charCodeAt(pos + 1) === quote && text.charCodeAt(pos + 2) === quote) return pos + 3;
      pos++;
    } else if (c === 10 && !triple) return pos;
    else pos++;
  }
  return text.length;
}

/** The offset after a backslash at `at` and what it escapes: a CRLF line break counts as one. */
function afterEscape(text: string, at: number): number {
  return text.charCodeAt(at + 1) === 13 && text.charCodeAt(at + 2) === 10 ? at + 3 : at + 2;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 13 || c === 10;
}

/**
 * Parses JSON with comments and trailing commas, as tsconfig.json and jsconfig.json allow; null when
 * the text is not valid even then. Comments and commas are blanked outside strings, then JSON.parse
 * reads the rest.
 */
export function parseJsonc(text: string): unknown {
  let out = "";
  let last = 0;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  last = pos;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 34) {
      pos++;
      while (pos < text.length && text.charCodeAt(pos) !== 34) pos += text.charCodeAt(pos) === 92 ? 2 : 1;
      pos++;
    } else if (c === 47 && (text.charCodeAt(pos + 1) === 47 || text.charCodeAt(pos + 1) === 42)) {
      const line = text.charCodeAt(pos + 1) === 47;
      const close = line ? text.indexOf("\n", pos) : text.indexOf("*/", pos + 2);
      const end = close === -1 ? text.length : line ? close : close + 2;
      out += text.slice(last, pos);
      last = pos = end;
    } else if (c === 44 && /^\s*[}\]]/.test(nextCode(text, pos + 1))) {
      out += text.slice(last, pos);
      last = pos = pos + 1;
    } else pos++;
  }
  out += text.slice(last);
  try {
    return JSON.parse(out);
  } catch {
    return null;
  }
}

/** The text after `from` with comments skipped, as far as the next significant character. */
function nextCode(text: string, from: number): string {
  let pos = from;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
    if (text.startsWith("//", pos)) {
      const eol = text.indexOf("\n", pos);
      pos = eol === -1 ? text.length : eol;
    } else if (text.startsWith("/*", pos)) {
      const close = text.indexOf("*/", pos + 2);
      pos = close === -1 ? text.length : close + 2;
    } else return text.slice(pos, pos + 1);
  }
}

/** Characters with a meaning in a regular expression outside a character class. */
const SPECIAL = new Set([..."\\^$.|?*+()[]{}"]);

/**
 * The longest literal every match of `source` must contain (at least `min` characters), or null.
 * It lets a search skip, at memchr speed, the files that cannot match, without decoding them or
 * running the expression, which is most files of most searches (ripgrep does the same).
 *
 * Deliberately conservative: any alternation gives up, only top-level runs count (a group may be
 * optional), a character followed by ?, * or {..} is optional and so ends the run before it, and
 * escapes count only when they stand for the character itself (\. yes, \w no).
 */
export function requiredLiteral(source: string, min = 3): string | null {
  if (source.includes("|")) return null;
  let best = "";
  let run = "";
  let depth = 0;
  const end = () => {
    if (run.length > best.length) best = run;
    run = "";
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "[") {
      end();
      // Skip the class, escapes included.
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
      continue;
    }
    if (c === "{") {
      end();
      // A quantifier's bounds are skipped; a lone `{` (a character of its own without the u flag)
      // is not, or a group after it would go unseen.
      const bounds = /^\{\d+(?:,\d*)?\}/.exec(source.slice(i));
      if (bounds) i += bounds[0].length - 1;
      continue;
    }
    if (c === "(") {
      end();
      depth++;
      continue;
    }
    if (c === ")") {
      depth--;
      continue;
    }
    let literal: string | undefined;
    if (c === "\\") {
      const next = source[i + 1];
      i++;
      if (next !== undefined && SPECIAL.has(next)) literal = next;
      else if (next === "/" || next === "-" || next === "'" || next === '"') literal = next;
      // A malformed \x, \u or \c is a character of its own without the u flag: skip only what
      // a well-formed one holds, or a group after it would go unseen.
      else if (next === "x") {
        if (/^[0-9a-fA-F]{2}$/.test(source.slice(i + 1, i + 3))) i += 2; // \xHH
      } else if ((next === "u" || next === "p" || next === "P") && source[i + 1] === "{") {
        const close = source.indexOf("}", i);
        // \u{...}, \p{...}, \P{...}. Without the u flag these are plain characters, and a `(` or
        // `)` or `[` in what would be skipped opens or closes a group or a class: then no literal is given.
        if (/[()[]/.test(source.slice(i, close === -1 ? source.length : close))) return null;
        i = close === -1 ? source.length : close;
      } else if (next === "u") {
        if (/^[0-9a-fA-F]{4}$/.test(source.slice(i + 1, i + 5))) i += 4; // \uHHHH
      } else if (next === "c") {
        if (/^[A-Za-z]$/.test(source[i + 1] ?? "")) i += 1; // \cX
      } else if (next !== undefined && next >= "0" && next <= "9") {
        while (/[0-9]/.test(source[i + 1] ?? "")) i++; // a back-reference
      } else if (next === "k" && source[i + 1] === "<") {
        const close = source.indexOf(">", i);
        if (/[()[]/.test(source.slice(i, close === -1 ? source.length : close))) return null;
        i = close === -1 ? source.length : close; // \k<name>, a named back-reference
      }
    } else if (isHighSurrogate(c) && isLowSurrogate(source[i + 1])) {
      // A character outside the BMP is two units; without the u flag a quantifier after it
      // applies to its second unit only, and half a character cannot be looked for in UTF-8.
      const after = source[i + 2];
      i++;
      if (depth > 0 || after === "?" || after === "*" || after === "{") {
        end();
        continue;
      }
      literal = c + source[i];
    } else if (!SPECIAL.has(c) && !isHighSurrogate(c) && !isLowSurrogate(c)) literal = c;
    if (literal === undefined || depth > 0) {
      end();
      continue;
    }
    const after = source[i + 1];
    if (after === "?" || after === "*" || after === "{") {
      end(); // this character is optional
      continue;
    }
    run += literal;
    if (after === "+") end(); // required once, but what follows may not be adjacent
  }
  end();
  return best.length >= min ? best : null;
}

function isHighSurrogate(c: string | undefined): boolean {
  const code = c?.charCodeAt(0) ?? 0;
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(c: string | undefined): boolean {
  const code = c?.charCodeAt(0) ?? 0;
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Characters that break a listing of one entry per line, hide what follows them on a terminal, or
 * make a name read as another: controls (C0, C1, DEL), format characters (the bidirectional
 * controls, so `a\u202Egnp.ts` shows as `ast.png`, zero-width spaces and joiners, the soft hyphen,
 * tag characters, the byte-order mark), line and paragraph separators, and the Hangul fillers,
 * which show as blanks. Linux allows all of them in file names, so a file named `a\nb.ts` could
 * otherwise pass for two entries (or forge one).
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/u;
const ESCAPED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0"\\]/gu;
const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

/**
 * `name` as a text listing shows it: as it is, or, when it holds an unprintable character (or
 * starts with a double quote, so the two forms cannot be confused), in double quotes with C-style
 * escapes, as git shows such paths.
 */
export function printableName(name: string): string {
  if (!UNPRINTABLE.test(name) && !name.startsWith('"')) return name;
  const escaped = name.replace(ESCAPED, (c) => {
    const code = c.codePointAt(0) as number;
    return (
      SHORT[c] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`)
    );
  });
  return `"${escaped}"`;
}
